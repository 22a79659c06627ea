"""Value objects shared by every contract: documents, organisations, signers, people, periods,
refusal reasons, and the base class of every nested value.

Apart from the scalar types and enumerations because these are models with rules of their own
(a document needs a number or a title, a period does not end before it starts), nested in the
payloads of several services.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

from contracts.common.scalars import DocumentNumber, EntityId, ReasonCode, ShortText, Text


class Value(BaseModel):
    """Base of nested value objects: immutable, unknown fields ignored (like EventData)."""

    model_config = ConfigDict(frozen=True, extra="ignore")


def field_at(model: BaseModel, path: str) -> object:
    """The value a :data:`FieldPath` names in ``model``; ``LookupError`` when it names a field
    the model does not have or an item its list does not hold."""
    value: object = model
    for part in path.split("."):
        if isinstance(value, BaseModel) and part in type(value).model_fields:
            value = getattr(value, part)
        elif isinstance(value, list | tuple) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            raise LookupError(path)
    return value


class RejectionReason(Value):
    """One reason for a refusal: a stable code, a Vietnamese message, the offending field."""

    code: ReasonCode
    message: Text = Field(description="Human-readable explanation, in Vietnamese.")
    field: str | None = Field(
        default=None, max_length=300, description="Dotted path of the offending field, if any."
    )
    item: str | None = Field(
        default=None,
        max_length=200,
        description="The item of the input this reason concerns, when the input lists several"
        " (a nomination id of a decision's or a council vote's list): a refusal names every"
        " refused item with its own reasons (issue 18).",
    )


class DocumentRef(Value):
    """A document referred to, e.g. a parent plan or directive (văn bản căn cứ)."""

    number: DocumentNumber | None = None
    issued_on: date | None = Field(default=None, description="Ngày ban hành.")
    issuer: ShortText = Field(description="Cơ quan ban hành, e.g. UBND tỉnh Bạc Liêu.")
    title: Text | None = Field(default=None, description="Trích yếu.")

    @model_validator(mode="after")
    def _identified(self) -> DocumentRef:
        if self.number is None and self.title is None:
            raise ValueError("a document needs a number or a title")
        return self


class OrgRef(Value):
    """An organisation by name, with its directory id when it has one."""

    org_id: EntityId | None = Field(default=None, description="Directory id, if registered.")
    name: ShortText
    abbreviation: str | None = Field(
        default=None, max_length=30, description="Short code used in document numbers, e.g. SCT."
    )


class Signer(Value):
    """Người ký: name and position; ``on_behalf_of`` for "KT." (ký thay) signatures."""

    name: ShortText
    position: ShortText = Field(description="Chức vụ, e.g. Phó Giám đốc.")
    on_behalf_of: ShortText | None = Field(
        default=None, description="Signing on behalf of (KT.), e.g. Giám đốc."
    )


class Person(Value):
    """A person named in a fact (author, member), with the directory id when known."""

    person_id: EntityId | None = None
    full_name: ShortText


class Period(Value):
    """A closed date interval; the end is not before the start."""

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError("period ends before it starts")
        return self
