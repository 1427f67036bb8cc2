-- Neovim (0.7+) as the language client: `nvim --headless -u NONE -c "luafile nvim_client.lua"`
-- with GOLEAKLINT_BIN and WORKSPACE set. Opens service/fetch.go, waits for the
-- finding, applies the preferred code action, undoes it, disables the rule
-- through didChangeConfiguration, then stops the server. Exits 0 on success;
-- on failure prints the reason and exits 1.

local bin = assert(os.getenv("GOLEAKLINT_BIN"), "GOLEAKLINT_BIN is not set")
local root = assert(os.getenv("WORKSPACE"), "WORKSPACE is not set")
local exit_code = nil

local function check(cond, msg)
  if not cond then
    error(msg, 2)
  end
end

local function main()
  local client_id = vim.lsp.start_client({
    cmd = { bin, "lsp" },
    name = "goleaklint",
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = "workspace" } },
    init_options = { goleaklint = { tests = true } },
    on_exit = function(code)
      exit_code = code
    end,
  })
  check(client_id, "the client did not start")
  vim.cmd("edit " .. root .. "/service/fetch.go")
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, client_id)

  -- Open: the finding arrives.
  check(vim.wait(15000, function() return #vim.diagnostic.get(buf) == 1 end, 20),
    "no diagnostic after opening the file")
  local d = vim.diagnostic.get(buf)[1]
  -- Neovim turns the UTF-16 column back into a byte column: `\tctxÉté, cancel := ` is 21 bytes.
  check(d.lnum == 13 and d.col == 21, ("diagnostic at %d:%d, want 13:21"):format(d.lnum, d.col))
  check(d.source == "goleaklint", "source " .. tostring(d.source))
  check(d.message:find("cancel function cancel is not called", 1, true), d.message)

  -- Code action: apply the preferred fix, the finding goes away.
  vim.api.nvim_win_set_cursor(0, { 14, 21 })
  local params = vim.lsp.util.make_range_params(0, "utf-16")
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf, 13) }
  local replies = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", params, 10000)
  check(replies and replies[client_id] and replies[client_id].result, "no code action reply")
  local preferred
  for _, a in ipairs(replies[client_id].result) do
    if a.isPreferred then
      preferred = a
    end
  end
  check(preferred and preferred.title == "add `defer cancel()`", "no preferred fix")
  vim.lsp.util.apply_workspace_edit(preferred.edit, "utf-16")
  check(vim.api.nvim_buf_get_lines(buf, 14, 15, false)[1] == "\tdefer cancel()",
    "the fix was not inserted after the call")
  check(vim.wait(15000, function() return #vim.diagnostic.get(buf) == 0 end, 20),
    "the finding is still there after the fix")

  -- Edit: undo the fix, the finding is back.
  vim.cmd("undo")
  check(vim.wait(15000, function() return #vim.diagnostic.get(buf) == 1 end, 20),
    "no diagnostic after undoing the fix")

  -- Configuration change: lost-cancel disabled, the finding goes away.
  local client = vim.lsp.get_client_by_id(client_id)
  client.notify("workspace/didChangeConfiguration", { settings = { goleaklint = { disable = { "lost-cancel" } } } })
  check(vim.wait(15000, function() return #vim.diagnostic.get(buf) == 0 end, 20),
    "the finding is still there with lost-cancel disabled")

  -- Shutdown: shutdown then exit, status 0.
  client.stop()
  check(vim.wait(15000, function() return exit_code ~= nil end, 20), "the server did not exit")
  check(exit_code == 0, "server exit status " .. tostring(exit_code))
end

local ok, err = pcall(main)
if ok then
  io.stdout:write("nvim client: ok\n")
  vim.cmd("qall!")
else
  io.stderr:write("nvim client: " .. tostring(err) .. "\n")
  vim.cmd("cquit 1")
end
