;;; emacs_check.el --- drive editors/emacs/goleaklint.el in batch Emacs  -*- lexical-binding: t; -*-

;; Run by editors/test/run.sh as `emacs --batch -Q -l emacs_check.el' with
;; CLIENT = eglot | lsp-mode | flymake.  Writes {"messages": [...]} to
;; $RESULT_FILE; exits 77 when a package it needs is not installed.

(require 'json)

(defun check--env (name) (or (getenv name) (error "%s is not set" name)))

(defun check--finish (messages)
  (with-temp-file (check--env "RESULT_FILE")
    (insert (json-encode (list (cons 'messages (vconcat messages))))))
  (kill-emacs 0))

(defun check--skip (why)
  (princ (format "%s\n" why))
  (kill-emacs 77))

(defun check--wait (pred seconds)
  "Process events until PRED is non-nil or SECONDS pass; return PRED's value."
  (let ((deadline (+ (float-time) seconds)) value)
    (while (and (not (setq value (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    value))

;; Debian's elpa-* packages; -Q skips the site files that would add them.
(dolist (dir (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*"))
  (add-to-list 'load-path dir))

(setq inhibit-message t
      make-backup-files nil
      user-emacs-directory (make-temp-file "goleaklint-emacs-" t))

(condition-case err
    (progn
      (unless (require 'go-mode nil t) (check--skip "go-mode is not installed (Debian: elpa-go-mode)"))
      (load (check--env "GOLEAKLINT_EL") nil t)
      (setq goleaklint-disable '("unused-suppression")
            goleaklint-tests nil)
      (pcase (check--env "CLIENT")
        ("eglot"
         (unless (require 'eglot nil t) (check--skip "eglot is not installed (Debian: elpa-eglot)"))
         (setq goleaklint-command (check--env "GOLEAKLINT_CMD"))
         (goleaklint-eglot-setup)
         (find-file (check--env "GO_FILE"))
         (apply #'eglot (eglot--guess-contact))
         (let ((server (check--wait #'eglot-current-server 20)))
           (unless server (error "eglot did not connect"))
           (flymake-mode 1)
           (flymake-start)
           (let ((diags (check--wait (lambda () (flymake-diagnostics)) 20)))
             (eglot-shutdown server)
             (check--finish (mapcar #'flymake-diagnostic-text diags)))))
        ("lsp-mode"
         (unless (require 'lsp-mode nil t) (check--skip "lsp-mode is not installed (Debian: elpa-lsp-mode)"))
         (setq goleaklint-command (check--env "GOLEAKLINT_CMD")
               lsp-session-file (expand-file-name "lsp-session" user-emacs-directory)
               lsp-enable-file-watchers nil
               lsp-auto-guess-root nil
               lsp-restart 'ignore)
         (goleaklint-lsp-mode-setup)
         ;; Only the add-on should start here: no gopls.
         (remhash 'gopls lsp-clients)
         (find-file (check--env "GO_FILE"))
         (let ((root (goleaklint--root buffer-file-name)))
           ;; `eval': this form was macro-expanded before lsp-mode (and its setf) loaded.
           (eval `(push ,(directory-file-name root) (lsp-session-folders (lsp-session))) t))
         (lsp)
         (unless (check--wait (lambda () (seq-find (lambda (w) (eq (lsp--workspace-status w) 'initialized))
                                                   (lsp-workspaces)))
                              20)
           (error "lsp-mode did not initialize goleaklint"))
         ;; The diagnostics lsp-mode holds for this buffer (what its flymake
         ;; or flycheck front end shows).
         (let ((diags (check--wait #'lsp--get-buffer-diagnostics 20)))
           (lsp-workspace-shutdown (car (lsp-workspaces)))
           (check--wait (lambda () (null (lsp-workspaces))) 10)
           (check--finish (mapcar (lambda (d) (gethash "message" d)) diags))))
        ("flymake"
         (setq goleaklint-command (check--env "FAKE_CLI"))
         (goleaklint-flymake-setup)
         (find-file (check--env "GO_FILE"))
         (unless (memq #'goleaklint-flymake flymake-diagnostic-functions)
           (error "the goleaklint backend is not in flymake-diagnostic-functions"))
         (flymake-start)
         (let ((diags (check--wait #'flymake-diagnostics 20)))
           (check--finish
            (mapcar (lambda (d) (format "%s:%s:%s"
                                        (flymake-diagnostic-type d)
                                        (line-number-at-pos (flymake-diagnostic-beg d))
                                        (flymake-diagnostic-text d)))
                    diags))))
        (other (error "unknown CLIENT %s" other))))
  (error
   (princ (format "error: %S\n" err))
   (kill-emacs 1)))
