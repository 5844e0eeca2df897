-- Neovim, headless, as an hvlint user configures it (docs/integrations.md): start `hvlint server`,
-- open the file $HVLINT_FILE, wait for its diagnostics and write them to $HVLINT_OUT, one per line
-- (0-based line, 0-based column, code).
local client = vim.lsp.start_client({
  name = "hvlint",
  cmd = { vim.env.HVLINT_PYTHON, "-m", "hvlint", "server" },
  root_dir = vim.fn.fnamemodify(vim.env.HVLINT_FILE, ":h"),
})
vim.cmd("edit " .. vim.fn.fnameescape(vim.env.HVLINT_FILE))
vim.lsp.buf_attach_client(0, client)
vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local lines = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or "?"
  table.insert(lines, string.format("%d %d %s", d.lnum, d.col, code))
end
table.sort(lines)
vim.fn.writefile(lines, vim.env.HVLINT_OUT)
vim.lsp.stop_client(client)
vim.cmd("qa!")
