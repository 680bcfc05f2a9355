"""What `diff` reports: the rules it checks, with their default severities, and
one located change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["breaking", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("breaking", "warning", "info")

# Every rule, in the order the README's table lists them: (default severity, what it reports).
RULES: dict[str, tuple[Severity, str]] = {
    "spec-removed": ("breaking", "A spec present at the revision is gone, and its package with it."),
    "spec-added": ("info", "A spec is new since the revision."),
    "operation-removed": ("breaking", "An operation is removed: its method is gone."),
    "operation-added": ("info", "An operation is added: a new method."),
    "operation-id-changed": ("breaking", "An operationId changes and with it the method's name."),
    "operation-moved": ("breaking", "An operation moves to another resource (its tag or x-resource changed)."),
    "operation-deprecated": ("info", "An operation becomes deprecated."),
    "request-parameter-removed": ("breaking", "A parameter is removed: its argument is gone."),
    "new-required-request-parameter": ("breaking", "A required parameter is added: callers must pass it."),
    "new-optional-request-parameter": ("info", "An optional parameter is added."),
    "request-parameter-became-required": ("breaking", "A parameter becomes required."),
    "request-parameter-became-optional": ("info", "A parameter becomes optional."),
    "parameter-type-changed": ("breaking", "A parameter's type or format changes."),
    "request-parameter-default-changed": (
        "warning",
        "A parameter's default changes: a call that omits it means another thing.",
    ),
    "request-body-removed": ("breaking", "A request body is removed: the `body` argument is gone."),
    "new-required-request-body": ("breaking", "A required request body is added."),
    "new-optional-request-body": ("info", "An optional request body is added."),
    "request-body-became-required": ("breaking", "A request body becomes required."),
    "request-body-became-optional": ("info", "A request body becomes optional."),
    "request-body-type-changed": ("breaking", "A request body's schema changes its type."),
    "request-media-type-removed": ("breaking", "A media type of a request body is removed."),
    "request-media-type-added": ("info", "A media type of a request body is added."),
    "request-property-removed": ("breaking", "A property of a request body is removed: its model loses the field."),
    "new-required-request-property": ("breaking", "A required property is added to a request body."),
    "new-optional-request-property": ("info", "An optional property is added to a request body."),
    "request-property-became-required": ("breaking", "A property of a request body becomes required."),
    "request-property-became-optional": ("info", "A property of a request body becomes optional."),
    "request-property-type-changed": ("breaking", "A property of a request body changes its type or format."),
    "request-property-became-not-nullable": ("breaking", "A request value may no longer be null."),
    "request-property-became-nullable": ("info", "A request value may be null."),
    "request-constraint-tightened": ("breaking", "A request value's bound (length, range, items, pattern) is tighter."),
    "request-constraint-loosened": ("info", "A request value's bound is looser."),
    "enum-value-removed": ("breaking", "An enum loses a value: its member is gone, a request may not send it."),
    "enum-value-added": ("info", "An enum of a request value gains a value."),
    "response-enum-value-added": ("warning", "An enum of a response value gains a value a client may not expect."),
    "response-status-removed": ("breaking", "A success status is removed from an operation's responses."),
    "response-success-status-added": ("warning", "A success status is added: the method may return another type."),
    "response-error-status-removed": ("info", "An error status is removed from an operation's responses."),
    "response-error-status-added": ("info", "An error status is added to an operation's responses."),
    "response-media-type-removed": ("breaking", "A media type of a response is removed."),
    "response-media-type-added": ("info", "A media type of a response is added."),
    "response-body-type-changed": (
        "breaking",
        "A response body's schema changes its type: the method returns another type.",
    ),
    "response-property-removed": ("breaking", "A property of a response body is removed: its model loses the field."),
    "response-property-added": ("info", "A property is added to a response body."),
    "response-property-became-optional": (
        "breaking",
        "A property of a response body becomes optional: it may be None.",
    ),
    "response-property-became-required": ("info", "A property of a response body becomes required."),
    "response-property-type-changed": ("breaking", "A property of a response body changes its type or format."),
    "response-property-became-nullable": ("breaking", "A response value may be null."),
    "response-property-became-not-nullable": ("info", "A response value may no longer be null."),
    "response-constraint-loosened": ("warning", "A response value's bound is looser: values old clients never saw."),
    "response-constraint-tightened": ("info", "A response value's bound is tighter."),
    "component-renamed": (
        "breaking",
        "A generated type is renamed (its component moved or was renamed); the wire is the same.",
    ),
    "model-removed": ("breaking", "A generated type (model, enum or union) is gone."),
    "model-added": ("info", "A generated type is added."),
    "security-changed": (
        "breaking",
        "An operation's security asks for credentials that were not enough or not needed before.",
    ),
    "security-relaxed": ("info", "An operation accepts credentials it did not before, or none."),
    "security-scheme-removed": ("breaking", "A security scheme is removed: its constructor arguments are gone."),
    "security-scheme-added": ("info", "A security scheme is added."),
    "security-scheme-changed": (
        "breaking",
        "A security scheme sends its credential another way (type, location, name, token URL, scopes).",
    ),
    "server-removed": ("breaking", "A server URL is removed."),
    "server-added": ("info", "A server URL is added."),
    "default-server-changed": ("warning", "The client's default base_url changes."),
}


@dataclass(frozen=True, order=True)
class Change:
    """One change between two versions of a spec, located in NEW (or in OLD for
    what was removed), with its effect on the generated code ("" for none)."""

    file: str
    line: int
    pointer: str
    message: str
    rule: str
    severity: Severity
    effect: str = ""
    spec: str = ""  # the spec it is about, as NEW names it (OLD's for a removed spec)

    @property
    def order(self) -> tuple[str, int, str, int, str, str]:
        """How reports list changes: by spec, breaking first, then by place."""
        return self.spec, SEVERITIES.index(self.severity), self.file, self.line, self.pointer, self.rule

    def __str__(self) -> str:
        message = " ".join(self.message.split())
        effect = f" => {' '.join(self.effect.split())}" if self.effect else ""
        return f"{self.file}:{self.line}: {self.pointer or '/'}: {self.severity} [{self.rule}] {message}{effect}"
