-- goleaklint for Neovim: starts `goleaklint lsp` for Go buffers.
--
-- Put this file at ~/.config/nvim/lua/goleaklint.lua and add to init.lua:
--
--   require('goleaklint').setup({
--     -- every field is optional; these are the defaults
--     cmd = { 'goleaklint', 'lsp' },
--     settings = { enable = {}, disable = {}, tests = true }, -- and configFile = 'path'
--   })
--
-- Neovim 0.8 and newer use vim.lsp.start (one client per root directory,
-- reused across buffers). Neovim 0.7 has no vim.lsp.start: the same settings
-- go through vim.lsp.start_client + vim.lsp.buf_attach_client instead.
-- goleaklint runs beside gopls: both attach to the same buffer.

local M = {}

M.defaults = {
  -- The binary and its argument. Use an absolute path if goleaklint is not on $PATH.
  cmd = { 'goleaklint', 'lsp' },
  -- The `goleaklint` settings object: sent as initializationOptions and, as
  -- settings.goleaklint, through workspace/didChangeConfiguration.
  --   enable     rules to turn on besides the defaults (names from `goleaklint rules`)
  --   disable    rules to turn off
  --   configFile a config file to use instead of the .goleaklint.toml found by walking up
  --   tests      also analyse _test.go files
  settings = {
    enable = {},
    disable = {},
    tests = true,
  },
  -- The nearest directory holding one of these (in this order) is the root;
  -- goleaklint runs there, as `goleaklint ./...` would.
  root_markers = { 'go.mod', '.git' },
  filetypes = { 'go' },
  -- Passed to the client as on_attach(client, bufnr), e.g. for key maps.
  on_attach = nil,
}

local uv = vim.loop

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

local function dirname(path)
  return vim.fn.fnamemodify(path, ':h')
end

-- The nearest ancestor of the buffer's file holding the first marker found,
-- trying each marker in turn (so a go.mod below the .git directory wins).
-- Written without vim.fs (0.8+) so that it also runs on Neovim 0.7.
function M.find_root(bufnr, markers)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    return uv.cwd()
  end
  local start = dirname(vim.fn.fnamemodify(name, ':p'))
  for _, marker in ipairs(markers) do
    local dir = start
    while true do
      if exists(dir .. '/' .. marker) then
        return dir
      end
      local parent = dirname(dir)
      if parent == dir then
        break
      end
      dir = parent
    end
  end
  return start
end

local function client_config(opts, bufnr)
  local root = M.find_root(bufnr, opts.root_markers)
  return {
    name = 'goleaklint',
    cmd = opts.cmd,
    cmd_cwd = root,
    root_dir = root,
    workspace_folders = {
      { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') },
    },
    init_options = opts.settings,
    settings = { goleaklint = opts.settings },
    -- Push the settings once the server is up, as nvim-lspconfig does (older
    -- Neovim does not send workspace/didChangeConfiguration by itself; a
    -- second, identical notification from a newer one is harmless).
    on_init = function(client)
      client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
      return true
    end,
    on_attach = opts.on_attach,
  }
end

-- Neovim 0.7: one client per root directory, kept in this table.
local clients_by_root = {}

local function start_07(config, bufnr)
  local id = clients_by_root[config.root_dir]
  if id == nil or vim.lsp.get_client_by_id(id) == nil or vim.lsp.get_client_by_id(id).is_stopped() then
    id = vim.lsp.start_client(config)
    if id == nil then
      return nil
    end
    clients_by_root[config.root_dir] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

-- Starts (or reuses) the client for a buffer; returns the client id.
function M.start(bufnr, opts)
  opts = opts or M.options or M.defaults
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  if vim.fn.executable(opts.cmd[1]) ~= 1 then
    vim.notify_once(
      ('goleaklint: %q not found; install goleaklint or set cmd in require("goleaklint").setup()'):format(opts.cmd[1]),
      vim.log.levels.WARN
    )
    return nil
  end
  local config = client_config(opts, bufnr)
  if vim.lsp.start then
    -- Neovim 0.8+: reuses a running client with the same name and root_dir.
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  return start_07(config, bufnr)
end

function M.setup(user)
  -- Tables merge key by key; a list given by the user (cmd, enable, ...) replaces the default.
  local opts = vim.tbl_deep_extend('force', {}, M.defaults, user or {})
  M.options = opts
  local group = vim.api.nvim_create_augroup('goleaklint', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = opts.filetypes,
    desc = 'Start the goleaklint language server',
    callback = function(args)
      M.start(args.buf, opts)
    end,
  })
  -- Buffers already open when setup() runs (e.g. `nvim main.go` with a lazy plugin manager).
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.tbl_contains(opts.filetypes, vim.bo[buf].filetype) then
      M.start(buf, opts)
    end
  end
end

return M
