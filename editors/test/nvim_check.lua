-- Driven by editors/test/run.sh: loads editors/nvim/goleaklint.lua into a bare
-- headless Neovim, opens a Go file and records what happened in $RESULT_FILE.
local result = {}
local function finish(code)
  local f = assert(io.open(os.getenv('RESULT_FILE'), 'w'))
  f:write(vim.json.encode(result))
  f:close()
  vim.cmd((code == 0) and 'qall!' or 'cquit!')
end

local ok, err = pcall(function()
  vim.cmd('filetype on')
  local goleaklint = dofile(os.getenv('GOLEAKLINT_LUA'))
  goleaklint.setup({
    cmd = { os.getenv('GOLEAKLINT_CMD'), 'lsp' },
    settings = { disable = { 'unused-suppression' }, tests = false, configFile = 'lint.toml' },
  })
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('GO_FILE')))
  result.filetype = vim.bo.filetype
  result.got_diagnostics = vim.wait(10000, function()
    return #vim.diagnostic.get(0) > 0
  end, 50)
  local diags = vim.diagnostic.get(0)
  result.messages = vim.tbl_map(function(d) return d.message end, diags)
  local clients = vim.lsp.buf_get_clients(0)
  result.clients = {}
  for _, c in pairs(clients) do
    table.insert(result.clients, { name = c.name, root_dir = c.config.root_dir })
  end
  -- A second Go buffer in the same module reuses the client.
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('GO_FILE2')))
  vim.wait(5000, function() return #vim.lsp.buf_get_clients(0) > 0 end, 50)
  local ids = {}
  for id, _ in pairs(vim.lsp.get_active_clients and vim.lsp.buf_get_clients(0) or {}) do
    table.insert(ids, id)
  end
  result.second_buffer_clients = #ids
  result.active_clients = #vim.lsp.get_active_clients()
  vim.lsp.stop_client(vim.lsp.get_active_clients())
  result.stopped = vim.wait(5000, function()
    return #vim.lsp.get_active_clients() == 0
  end, 50)
end)
if not ok then
  result.error = tostring(err)
  finish(1)
else
  finish(0)
end
