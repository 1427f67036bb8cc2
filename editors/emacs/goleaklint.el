;;; goleaklint.el --- goleaklint for Go buffers: eglot, lsp-mode or flymake  -*- lexical-binding: t; -*-

;; Copyright (C) 2026 The goleaklint authors
;; SPDX-License-Identifier: MIT
;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: languages, tools, go
;; URL: https://github.com/goleaklint/goleaklint

;;; Commentary:

;; goleaklint finds goroutine and resource leaks in Go code.  Its binary has a
;; language server built in (`goleaklint lsp').  This file connects it to Emacs
;; in one of three ways; call the setup function of the one you want:
;;
;;   (goleaklint-lsp-mode-setup)  lsp-mode: registers goleaklint as an add-on
;;                                server, so it runs NEXT TO gopls.
;;   (goleaklint-eglot-setup)     eglot: makes goleaklint THE server of Go
;;                                buffers.  Plain eglot runs one server per
;;                                major mode and project, so this replaces
;;                                gopls in eglot.
;;   (goleaklint-flymake-setup)   no language server: a flymake backend that
;;                                runs `goleaklint --format json' on the
;;                                package when the buffer is saved.  Works
;;                                with eglot + gopls, which keeps its own
;;                                diagnostics.
;;
;; The settings below are the goleaklint settings object of the LSP contract
;; ({enable, disable, configFile, tests}); for flymake they become flags.

;;; Code:

(require 'json)
(require 'subr-x)

(defgroup goleaklint nil
  "Find goroutine and resource leaks in Go code."
  :group 'tools
  :prefix "goleaklint-"
  :link '(url-link "https://github.com/goleaklint/goleaklint"))

(defcustom goleaklint-command "goleaklint"
  "The goleaklint binary: a name looked up on `exec-path', or a file name."
  :type 'string)

(defcustom goleaklint-enable nil
  "Rules to turn on besides the defaults (names from `goleaklint rules')."
  :type '(repeat string))

(defcustom goleaklint-disable nil
  "Rules to turn off (names from `goleaklint rules')."
  :type '(repeat string))

(defcustom goleaklint-config-file nil
  "A configuration file to use.
Nil: the `.goleaklint.toml' found by walking up from the project root,
as on the command line."
  :type '(choice (const :tag "Found by walking up" nil) file))

(defcustom goleaklint-tests t
  "Non-nil to analyse _test.go files too."
  :type 'boolean)

(defcustom goleaklint-modes '(go-mode go-ts-mode)
  "Major modes whose buffers goleaklint analyses."
  :type '(repeat symbol))

(defun goleaklint-settings ()
  "The goleaklint settings object, as a plist for JSON encoding."
  (append
   (list :enable (vconcat goleaklint-enable)
         :disable (vconcat goleaklint-disable)
         :tests (if goleaklint-tests t :json-false))
   (when goleaklint-config-file
     (list :configFile (expand-file-name goleaklint-config-file)))))

(defun goleaklint--server-command ()
  "The command line that starts the language server."
  (list (or (executable-find goleaklint-command) goleaklint-command) "lsp"))

;;;; eglot

(defvar eglot-server-programs)
(defvar eglot-workspace-configuration)

(defun goleaklint-eglot-contact (&rest _)
  "The eglot contact for goleaklint (a function, so that settings are read late)."
  (append (goleaklint--server-command)
          (list :initializationOptions (lambda (_server) (goleaklint-settings)))))

;;;###autoload
(defun goleaklint-eglot-setup ()
  "Make eglot start `goleaklint lsp' for the modes in `goleaklint-modes'.
Eglot manages a buffer with one server, so in eglot this REPLACES gopls
for Go buffers; see `goleaklint-flymake-setup' to keep gopls instead."
  (interactive)
  (with-eval-after-load 'eglot
    (add-to-list 'eglot-server-programs
                 (cons goleaklint-modes #'goleaklint-eglot-contact))))

(defun goleaklint-eglot-workspace-configuration ()
  "The `:goleaklint' entry for `eglot-workspace-configuration'.
Eglot sends that variable through workspace/didChangeConfiguration; add
this entry to it (it may already hold `:gopls') if you want settings
changed in a running session to reach goleaklint."
  (list :goleaklint (goleaklint-settings)))

;;;; lsp-mode

(declare-function lsp-register-client "lsp-mode")
(declare-function lsp-register-custom-settings "lsp-mode")
(declare-function make-lsp-client "lsp-mode")
(declare-function lsp-stdio-connection "lsp-mode")
(declare-function lsp-configuration-section "lsp-mode")
(declare-function lsp--set-configuration "lsp-mode")
(defvar lsp-language-id-configuration)
(defvar lsp--cur-workspace)

(defun goleaklint--lsp-mode-register ()
  "Register the goleaklint client with lsp-mode (lsp-mode must be loaded)."
  (lsp-register-custom-settings
   `(("goleaklint.enable" ,(lambda () (vconcat goleaklint-enable)))
     ("goleaklint.disable" ,(lambda () (vconcat goleaklint-disable)))
     ("goleaklint.configFile" ,(lambda () (and goleaklint-config-file
                                                (expand-file-name goleaklint-config-file))))
     ("goleaklint.tests" goleaklint-tests t)))
  (dolist (mode goleaklint-modes)
    (unless (assq mode lsp-language-id-configuration)
      (add-to-list 'lsp-language-id-configuration (cons mode "go"))))
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection #'goleaklint--server-command)
    :activation-fn (lambda (_file mode) (memq mode goleaklint-modes))
    :add-on? t                          ; start it as well as gopls, not instead
    :priority -2
    :server-id 'goleaklint
    :initialization-options #'goleaklint-settings
    :initialized-fn (lambda (workspace)
                      ;; What `with-lsp-workspace' does, without needing the macro here.
                      (let ((lsp--cur-workspace workspace))
                        (lsp--set-configuration
                         (lsp-configuration-section "goleaklint")))))))

;;;###autoload
(defun goleaklint-lsp-mode-setup ()
  "Register goleaklint with lsp-mode as an add-on server next to gopls."
  (interactive)
  (with-eval-after-load 'lsp-mode
    (goleaklint--lsp-mode-register)))

;;;; flymake (no language server)

(declare-function flymake-make-diagnostic "flymake")
(declare-function flymake-log "flymake")
(defvar flymake-diagnostic-functions)

(defvar-local goleaklint--flymake-process nil
  "The goleaklint process running for this buffer's flymake backend.")

(defun goleaklint--root (file)
  "The directory goleaklint runs in for FILE: its module root."
  (expand-file-name
   (or (locate-dominating-file file "go.mod")
       (locate-dominating-file file ".git")
       (file-name-directory file))))

(defun goleaklint--cli-flags ()
  "Command-line flags equivalent to the settings."
  (append
   (when goleaklint-enable (list "--enable" (string-join goleaklint-enable ",")))
   (when goleaklint-disable (list "--disable" (string-join goleaklint-disable ",")))
   (unless goleaklint-tests (list "--tests=false"))
   (when goleaklint-config-file
     (list "--config" (expand-file-name goleaklint-config-file)))))

(defun goleaklint--position (line column)
  "Buffer position of 1-based LINE and COLUMN, clamped to the line."
  (save-excursion
    (save-restriction
      (widen)
      (goto-char (point-min))
      (forward-line (1- (max 1 line)))
      (min (line-end-position) (+ (point) (max 0 (1- column)))))))

(defun goleaklint--parse-json ()
  "Parse the JSON object in the current buffer into a hash table."
  (goto-char (point-min))
  (if (fboundp 'json-parse-buffer)
      (json-parse-buffer :object-type 'hash-table :array-type 'list
                         :null-object nil :false-object nil)
    (let ((json-object-type 'hash-table) (json-array-type 'list) (json-key-type 'string))
      (json-read))))

(defun goleaklint--flymake-diagnostics (source output root)
  "Flymake diagnostics of SOURCE from goleaklint's JSON OUTPUT run in ROOT."
  (let ((file (file-truename (buffer-file-name source)))
        (result '()))
    (dolist (d (gethash "diagnostics" output))
      (when (string= (file-truename (expand-file-name (gethash "path" d) root)) file)
        (with-current-buffer source
          (let* ((beg (goleaklint--position (gethash "line" d) (gethash "column" d)))
                 (end (goleaklint--position (or (gethash "end_line" d) (gethash "line" d))
                                            (or (gethash "end_column" d) (gethash "column" d))))
                 (end (if (> end beg) end (min (point-max) (1+ beg))))
                 (type (pcase (gethash "severity" d)
                         ("error" :error) ("note" :note) (_ :warning))))
            (push (flymake-make-diagnostic
                   source beg end type
                   (format "%s [%s]" (gethash "message" d) (gethash "rule" d)))
                  result)))))
    (nreverse result)))

(defun goleaklint-flymake (report-fn &rest _args)
  "Flymake backend: run goleaklint on the package of the buffer's file.
goleaklint reads files from disk, so the package is analysed when the
buffer is saved; while it has unsaved changes the previous findings stay."
  (let ((file (buffer-file-name)))
    (cond
     ((not file) (funcall report-fn nil))
     ((not (executable-find goleaklint-command))
      (funcall report-fn :panic :explanation
               (format "goleaklint: %s not found" goleaklint-command)))
     ((buffer-modified-p)
      ;; Report on an empty region: keep the diagnostics flymake already shows.
      (funcall report-fn nil :region (cons (point-min) (point-min))))
     (t
      (when (process-live-p goleaklint--flymake-process)
        (kill-process goleaklint--flymake-process))
      (let* ((source (current-buffer))
             (root (goleaklint--root file))
             (dir (file-relative-name (file-name-directory file) root))
             (pattern (if (member dir '("./" ".")) "." (concat "./" (directory-file-name dir))))
             (default-directory root)
             (output (generate-new-buffer " *goleaklint-flymake*"))
             (stderr (generate-new-buffer " *goleaklint-flymake-stderr*")))
        (setq goleaklint--flymake-process
              (make-process
               :name "goleaklint-flymake"
               :noquery t
               :connection-type 'pipe
               :buffer output
               :stderr stderr
               :command (append (list (executable-find goleaklint-command)
                                      "--format" "json" "--quiet" "--color" "never")
                                (goleaklint--cli-flags)
                                (list pattern))
               :sentinel
               (lambda (proc _event)
                 (when (memq (process-status proc) '(exit signal))
                   (unwind-protect
                       (when (and (buffer-live-p source)
                                  (eq proc (buffer-local-value 'goleaklint--flymake-process source)))
                         (let ((json (with-current-buffer output
                                       (condition-case nil (goleaklint--parse-json) (error nil)))))
                           (if (hash-table-p json)
                               (funcall report-fn (goleaklint--flymake-diagnostics source json root))
                             (flymake-log :warning "goleaklint exited %s without JSON: %s"
                                          (process-exit-status proc)
                                          (with-current-buffer stderr (string-trim (buffer-string))))
                             (funcall report-fn nil))))
                     (kill-buffer output)
                     (kill-buffer stderr))))))
        ;; `:stderr' makes a pipe process whose sentinel would only log noise.
        (set-process-sentinel (get-buffer-process stderr) #'ignore))))))

(defun goleaklint--flymake-enable ()
  "Add the goleaklint backend to flymake in this buffer and turn flymake on."
  (when (apply #'derived-mode-p goleaklint-modes)
    (add-hook 'flymake-diagnostic-functions #'goleaklint-flymake nil t)
    (flymake-mode 1)))

;;;###autoload
(defun goleaklint-flymake-setup ()
  "Run goleaklint through flymake in Go buffers, with or without eglot.
Eglot sets `flymake-diagnostic-functions' to its own backend only, so
the goleaklint backend is added again whenever eglot manages a buffer."
  (interactive)
  (dolist (mode goleaklint-modes)
    (add-hook (intern (format "%s-hook" mode)) #'goleaklint--flymake-enable))
  (add-hook 'eglot-managed-mode-hook #'goleaklint--flymake-enable))

(provide 'goleaklint)
;;; goleaklint.el ends here
