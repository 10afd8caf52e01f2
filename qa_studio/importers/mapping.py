"""Column mappings: which source column feeds which of our fields, and how values convert.

A mapping is a YAML file (or the dict the import dialog builds) such as::

    columns:                      # our field: the source column header
      external_id: Call Ref
      started_at: Call Date
      agent_name: Agent
    values:                       # source value -> our value, per field (case-insensitive)
      channel: {Phone: voice, Web Chat: chat}
      csat: {Very satisfied: 5, Dissatisfied: 1}
    csat: {min: 0, max: 10}       # the source's CSAT scale, converted linearly to 1-5
    dates: {format: "%d/%m/%Y %H:%M", timezone: Europe/London}
    durations: {unit: seconds}    # seconds | milliseconds | minutes
    defaults: {channel: voice}    # used when a column is missing or a cell is empty

The flat form ``{field: header}`` (what ``Preview.mapping`` holds) is accepted too. Headers that
the user did not map are guessed from common names ("Contact ID", "Agent Name", "Start Time" …).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from qa_studio.errors import DataRefused
from qa_studio.importers.fields import (
    DEFAULTS,
    FIELDS,
    FieldError,
    make_converters,
    with_value_map,
)

OPTION_KEYS = frozenset(
    ("columns", "values", "csat", "dates", "durations", "defaults", "sheet", "delimiter")
)

#: Normalised header names (lower case, letters and digits only) that mean each field, best first.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "external_id": (
        "externalid",
        "contactid",
        "callid",
        "interactionid",
        "conversationid",
        "ticketid",
        "caseid",
        "chatid",
        "sessionid",
        "recordid",
        "callref",
        "reference",
        "ref",
        "id",
    ),
    "channel": ("channel", "mediatype", "media", "contacttype", "channeltype", "type"),
    "started_at": (
        "startedat",
        "starttime",
        "start",
        "startdate",
        "startdatetime",
        "initiationtimestamp",
        "conversationstart",
        "calldate",
        "calltime",
        "createdat",
        "created",
        "datetime",
        "date",
        "timestamp",
    ),
    "ended_at": (
        "endedat",
        "endtime",
        "end",
        "enddate",
        "enddatetime",
        "disconnecttimestamp",
        "conversationend",
        "finishedat",
    ),
    "agent_external_id": (
        "agentexternalid",
        "agentid",
        "agentusername",
        "agentlogin",
        "agentcode",
        "agentemail",
        "username",
        "userid",
        "employeeid",
        "staffid",
        "advisorid",
    ),
    "agent_name": (
        "agentname",
        "agent",
        "agentfullname",
        "advisor",
        "adviser",
        "advisorname",
        "handledby",
        "owner",
        "assignee",
    ),
    "team": ("team", "teamname", "agentteam", "agentgroup"),
    "queue": (
        "queue",
        "queuename",
        "skill",
        "skillset",
        "routingqueue",
        "split",
        "department",
        "group",
    ),
    "direction": ("direction", "calldirection", "initiationmethod", "inout"),
    "queue_wait_s": (
        "queuewaits",
        "queuewait",
        "queuetime",
        "queueduration",
        "waittime",
        "timeinqueue",
        "wait",
    ),
    "duration_s": (
        "durations",
        "duration",
        "talktime",
        "talkduration",
        "callduration",
        "agentinteractionduration",
        "calllength",
        "length",
        "handletime",
    ),
    "hold_s": ("holds", "hold", "holdtime", "holdduration", "customerholdduration", "held"),
    "wrap_s": (
        "wraps",
        "wrap",
        "wraptime",
        "wrapup",
        "wrapuptime",
        "acw",
        "aftercallwork",
        "aftercontactwork",
        "aftercontactworkduration",
    ),
    "customer_ref": (
        "customerref",
        "customerreference",
        "customerid",
        "customer",
        "customernumber",
        "accountnumber",
        "accountno",
        "accountid",
        "account",
        "callerid",
    ),
    "outcome": ("outcome", "disposition", "wrapupcode", "resolution", "result", "status"),
    "csat": ("csat", "csatscore", "satisfaction", "customersatisfaction", "surveyscore", "rating"),
    "fcr": ("fcr", "firstcontactresolution", "firstcallresolution", "resolvedfirsttime", "ftr"),
    "complaint": ("complaint", "complainttype", "iscomplaint", "complaints"),
    "vulnerable": ("vulnerable", "vulnerablecustomer", "isvulnerable", "vulnerability"),
    "tags": ("tags", "labels", "categories"),
    "recording_path": (
        "recordingpath",
        "recording",
        "recordinglocation",
        "recordingfile",
        "audio",
        "audiofile",
    ),
    "screen_recording_path": ("screenrecordingpath", "screenrecording", "screencapture", "video"),
}
_UNIT_SUFFIX = re.compile(r"(seconds|secs|sec|s|mins)$")


def normalise(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def guess_columns(headers: Iterable[str]) -> dict[str, str | None]:
    """Guess our field -> source header from common header names; unmatched fields get None.

    Each header feeds at most one field, except that an agent known only by name ("Agent") is
    also used as the agent's identifier, so agents are still created on first sight.
    """
    headers = [h for h in headers if h and h.strip()]
    keys: dict[str, str] = {}
    for h in headers:
        for key in (normalise(h), _UNIT_SUFFIX.sub("", normalise(h))):
            keys.setdefault(key, h)
    taken: set[str] = set()
    result: dict[str, str | None] = dict.fromkeys(FIELDS)
    for name in FIELDS:
        for word in SYNONYMS[name]:
            header = keys.get(word)
            if header is not None and header not in taken:
                result[name] = header
                taken.add(header)
                break
    if result["agent_external_id"] is None and result["agent_name"] is not None:
        result["agent_external_id"] = result["agent_name"]
    return result


@dataclass
class Mapping:
    """A parsed mapping; ``columns`` holds only what the user said (guesses fill the rest)."""

    columns: dict[str, str | None] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    csat_scale: tuple[float, float] | None = None
    date_format: str | None = None
    timezone: str | None = None
    duration_unit: str = "seconds"
    defaults: dict[str, Any] = field(default_factory=dict)
    sheet: str | None = None
    delimiter: str | None = None
    source: str = "mapping"

    @classmethod
    def from_dict(cls, data: dict | None, source: str = "mapping") -> Mapping:
        """Accept the YAML form or the flat ``{field: header}`` form; refuse unknown keys."""
        if data is None:
            return cls(source=source)
        if not isinstance(data, dict):
            raise DataRefused(f"{source}: a mapping must be a YAML mapping of field: header")
        if not isinstance(data.get("columns") or {}, dict):
            raise DataRefused(f"{source}: columns: expected a mapping of field: header")
        columns = dict(data.get("columns") or {})
        for key, value in data.items():
            if key == "csat" and isinstance(value, dict):
                continue  # the scale option, not a column
            if key in FIELDS:
                columns[key] = value
            elif key not in OPTION_KEYS:
                raise DataRefused(
                    f"{source}: unknown key {key!r}",
                    [f"fields: {', '.join(FIELDS)}", f"options: {', '.join(sorted(OPTION_KEYS))}"],
                )
        m = cls(source=source)
        for key, header in columns.items():
            if key not in FIELDS:
                raise DataRefused(
                    f"{source}: columns: unknown field {key!r}", [f"fields: {', '.join(FIELDS)}"]
                )
            if header is not None and not isinstance(header, str | int):
                raise DataRefused(f"{source}: columns: {key}: give the column header as text")
            m.columns[key] = None if header in (None, "") else str(header)
        m.values = _section(data, "values", source)
        for key, table in m.values.items():
            if key not in FIELDS or not isinstance(table, dict):
                raise DataRefused(
                    f"{source}: values: {key}: expected a field name with a "
                    "table of source value: our value"
                )
        m.defaults = _section(data, "defaults", source)
        for key in m.defaults:
            if key not in FIELDS:
                raise DataRefused(f"{source}: defaults: unknown field {key!r}")
        csat = data.get("csat")
        if isinstance(csat, dict):
            if not {"min", "max"} <= set(csat):
                raise DataRefused(f"{source}: csat: give the source scale as {{min: 0, max: 10}}")
            try:
                low, high = float(csat["min"]), float(csat["max"])
            except (TypeError, ValueError):
                raise DataRefused(f"{source}: csat: min and max must be numbers") from None
            if high <= low:
                raise DataRefused(f"{source}: csat: max must be greater than min")
            m.csat_scale = (low, high)
        dates = _section(data, "dates", source)
        m.date_format = dates.get("format")
        m.timezone = dates.get("timezone")
        m.duration_unit = str(_section(data, "durations", source).get("unit", "seconds"))
        m.sheet = data.get("sheet")
        m.delimiter = data.get("delimiter")
        if m.delimiter is not None and len(str(m.delimiter)) != 1:
            raise DataRefused(f"{source}: delimiter must be one character")
        m.default_values(m.converters())  # refuse a bad zone, unit or default now
        return m

    @classmethod
    def load(cls, path: Path) -> Mapping:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataRefused(f"{path}: cannot read the mapping file ({exc})") from exc
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" line {mark.line + 1}" if mark else ""
            raise DataRefused(f"{path}:{where}: not valid YAML ({exc})") from exc
        return cls.from_dict(data, source=str(path))

    def resolved_columns(self, headers: Iterable[str]) -> dict[str, str | None]:
        """The user's columns, with guesses for the fields the user did not mention."""
        guessed = guess_columns(headers)
        used = {h for h in self.columns.values() if h}
        result = dict.fromkeys(FIELDS)
        for name in FIELDS:
            if name in self.columns:
                result[name] = self.columns[name]
            elif guessed[name] is not None and guessed[name] not in used:
                result[name] = guessed[name]
        if (
            "agent_external_id" not in self.columns
            and result["agent_external_id"] is None
            and result["agent_name"] is not None
        ):
            result["agent_external_id"] = result["agent_name"]
        return result

    def converters(self) -> dict[str, Callable[[Any], Any]]:
        """Field converters with this mapping's scale, dates, units and value tables applied."""
        options = {"date_format": self.date_format, "timezone": self.timezone}
        try:
            conv = make_converters(
                **options, duration_unit=self.duration_unit, csat_scale=self.csat_scale
            )
            base = make_converters(**options)
        except FieldError as exc:
            raise DataRefused(f"{self.source}: {exc}") from exc
        for name, table in self.values.items():
            conv[name] = with_value_map(name, table, conv[name], base[name])
        return conv

    def default_values(self, conv: dict[str, Callable[[Any], Any]]) -> dict[str, Any]:
        """Stored values for empty or unmapped fields: the mapping's defaults, else ours."""
        result = dict(DEFAULTS)
        for name, raw in self.defaults.items():
            try:
                result[name] = conv[name](raw)
            except FieldError as exc:
                raise DataRefused(f"{self.source}: defaults: {name}: {exc}") from exc
        return result


def _section(data: dict, key: str, source: str) -> dict:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DataRefused(f"{source}: {key}: expected a mapping")
    return value
