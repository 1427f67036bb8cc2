"""goleaklint's language server driven by a real LSP client (pytest-lsp).

The client starts `goleaklint lsp` as a child process and speaks to it over
stdio the way an editor does: open a Go file, edit it, ask for code actions
and apply them, change the settings, shut down.
"""

import asyncio
import os
import pathlib
import shutil

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
BIN = os.environ.get("GOLEAKLINT_BIN", str(REPO / "target" / "debug" / "goleaklint"))
WORKSPACE = HERE / "workspace"


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[BIN, "lsp"]),
)
async def client(lsp_client: LanguageClient, tmp_path):
    # Each test works on its own copy, so edits to files on disk stay local.
    root = tmp_path / "workspace"
    shutil.copytree(WORKSPACE, root)
    lsp_client.root = root
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="workspace")],
            initialization_options={"goleaklint": {"tests": True}},
        )
    )
    yield
    await lsp_client.shutdown_session()


def fetch(client):
    path = client.root / "service" / "fetch.go"
    return path.as_uri(), path.read_text()


async def diagnostics(client, uri, version=None):
    """Waits for the next diagnostics of `uri` (of `version`, when given)."""
    while True:
        params = await asyncio.wait_for(
            client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 20
        )
        if params.uri == uri and (version is None or params.version == version):
            return list(params.diagnostics)


def open_doc(client, uri, text, language="go"):
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        )
    )


def change(client, uri, version, text):
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def apply_edits(text, edits):
    """Applies LSP text edits (UTF-16 columns) to `text`, from the end."""
    lines = text.split("\n")

    def offset(pos):
        line = lines[pos.line] if pos.line < len(lines) else ""
        units = line.encode("utf-16-le")[: 2 * pos.character]
        return sum(len(l) + 1 for l in lines[: pos.line]) + len(units.decode("utf-16-le"))

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start, end = offset(e.range.start), offset(e.range.end)
        text = text[:start] + e.new_text + text[end:]
    return text


async def test_open_reports_diagnostics(client: LanguageClient):
    uri, text = fetch(client)
    open_doc(client, uri, text)
    diags = await diagnostics(client, uri)
    assert len(diags) == 1, diags
    d = diags[0]
    assert d.code == "lost-cancel"
    assert d.source == "goleaklint"
    assert d.severity == types.DiagnosticSeverity.Warning
    # `\tctxÉté, cancel := context.WithTimeout(`: byte 21, UTF-16 unit 19.
    assert (d.range.start.line, d.range.start.character) == (13, 19)
    assert d.code_description.href.endswith("/rules/lost-cancel.md")
    assert d.related_information[0].message == "this return skips `cancel`"
    assert "defer cancel()" in d.message


async def test_edit_updates_diagnostics(client: LanguageClient):
    uri, text = fetch(client)
    open_doc(client, uri, text)
    assert len(await diagnostics(client, uri)) == 1
    fixed = text.replace("\tcancel()\n", "").replace("time.Second)\n", "time.Second)\n\tdefer cancel()\n")
    # A burst of edits: only the settled text matters.
    for v, partial in enumerate([fixed[:200], fixed[:400], fixed], start=2):
        change(client, uri, v, partial)
    assert await diagnostics(client, uri, version=4) == []
    change(client, uri, 5, text)
    assert len(await diagnostics(client, uri, version=5)) == 1


async def test_code_action_fix_is_applied(client: LanguageClient):
    uri, text = fetch(client)
    open_doc(client, uri, text)
    d = (await diagnostics(client, uri))[0]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=d.range,
            context=types.CodeActionContext(diagnostics=[d]),
        )
    )
    titles = [a.title for a in actions]
    assert titles == ["add `defer cancel()`", "Suppress lost-cancel with //goleaklint:ignore"]
    fix = actions[0]
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.is_preferred
    fixed = apply_edits(text, fix.edit.changes[uri])
    assert "time.Second)\n\tdefer cancel()\n" in fixed
    change(client, uri, 2, fixed)
    assert await diagnostics(client, uri, version=2) == []

    # The suppression action silences the finding (and is not itself unused).
    suppressed = apply_edits(text, actions[1].edit.changes[uri])
    assert "\n\t//goleaklint:ignore lost-cancel " in suppressed
    change(client, uri, 3, suppressed)
    assert await diagnostics(client, uri, version=3) == []


async def test_configuration_change(client: LanguageClient):
    uri, text = fetch(client)
    open_doc(client, uri, text)
    assert len(await diagnostics(client, uri)) == 1
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"goleaklint": {"disable": ["lost-cancel"]}})
    )
    assert await diagnostics(client, uri) == []
    # The bare object is accepted too.
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"enable": ["lost-cancel"]}))
    assert len(await diagnostics(client, uri)) == 1


async def test_config_file_applies(client: LanguageClient):
    (client.root / ".goleaklint.toml").write_text('[rules]\ndisable = ["lost-cancel"]\n')
    uri, text = fetch(client)
    open_doc(client, uri, text)
    assert await diagnostics(client, uri) == []


async def test_non_go_documents_are_ignored(client: LanguageClient):
    notes = (client.root / "notes.md").as_uri()
    open_doc(client, notes, "# notes\n", language="markdown")
    uri, text = fetch(client)
    open_doc(client, uri, text)
    # The first diagnostics to arrive are the Go file's.
    params = await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 20)
    assert params.uri == uri
    assert notes not in client.diagnostics


async def test_close_clears_diagnostics(client: LanguageClient):
    uri, text = fetch(client)
    open_doc(client, uri, text)
    assert len(await diagnostics(client, uri)) == 1
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert await diagnostics(client, uri) == []


async def test_shutdown_then_exit_status_0(client: LanguageClient):
    await client.shutdown_session()
    assert client._server.returncode == 0
    # The fixture's own shutdown must not run twice.
    client.capabilities = None
