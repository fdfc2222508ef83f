"""The policy's stated date: "Last updated: March 3, 2021", "Stand: 01.02.2020", "Dernière mise à jour : 12 mars 2020"."""

from __future__ import annotations

import datetime
import re

_MONTHS = {}
for _number, _names in enumerate([
    "january jan januar jänner janvier janv enero gennaio januari",
    "february feb februar février févr fevrier febrero febbraio februari",
    "march mar märz mär maerz mars marzo maart",
    "april apr avril avr abril aprile",
    "may mai mayo maggio mei",
    "june jun juni juin junio giugno",
    "july jul juli juillet juil julio luglio",
    "august aug août aout agosto augustus",
    "september sep sept septembre septiembre setiembre settembre",
    "october oct oktober okt octobre octubre ottobre",
    "november nov novembre noviembre",
    "december dec dezember dez décembre déc decembre diciembre dicembre",
], start=1):
    for _name in _names.split():
        _MONTHS[_name] = _number
_MONTH = "(?:" + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True)) + r")\.?"
_DATE = re.compile(
    rf"(?P<md>(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}}))"  # March 3, 2021
    rf"|(?P<dm>(?P<d2>\d{{1,2}})(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?(?P<m2>{_MONTH}),?\s+(?:de\s+)?(?P<y2>\d{{4}}))"  # 1st July 2012
    r"|(?P<iso>(?P<y3>\d{4})[-/.](?P<m3>\d{1,2})[-/.](?P<d3>\d{1,2}))\b"  # 2019-05-25
    r"|(?P<num>(?P<a4>\d{1,2})(?P<sep>[./-])(?P<b4>\d{1,2})(?P=sep)(?P<y4>\d{4}|\d{2}))\b"  # 01.02.2020, 3/11/2025
    rf"|(?P<my>(?P<m5>{_MONTH}),?\s+(?P<y5>\d{{4}}))",  # March 2021 (day 01)
    re.I)
# Words that announce the policy's own date; the date must follow within a few words.
_DATE_CUE = re.compile(
    r"\b(?:last (?:updated|modified|revised|changed|update|revision)|updated|revised|effective|date of (?:last )?revision|"
    r"version (?:date|dated|of)|\bdated|"
    r"\bstand\b\s*(?::|vom|\b(?=\s*\d))|zuletzt (?:aktualisiert|geändert|überarbeitet)|letzte (?:aktualisierung|änderung)|"
    r"gültig (?:ab|seit)|in kraft (?:seit|ab)|"
    r"dernière (?:mise à jour|modification|révision)|mis[e]? à jour|en vigueur|date d.effet|applicable (?:à compter du|au)|"
    r"última (?:actualización|modificación)|actualizad[ao]|vigente desde|entrada en vigor|"
    r"ultimo aggiornamento|aggiornat[ao]|laatst (?:bijgewerkt|gewijzigd))", re.I)
_FILLER = re.compile(r"[^\d\n.]{0,40}")


def _to_iso(m: re.Match, day_first: bool) -> str | None:
    g = m.groupdict()
    if g["md"]:
        y, mo, d = g["y1"], _MONTHS[g["m1"].lower().rstrip(".")], g["d1"]
    elif g["dm"]:
        y, mo, d = g["y2"], _MONTHS[g["m2"].lower().rstrip(".")], g["d2"]
    elif g["iso"]:
        y, mo, d = g["y3"], g["m3"], g["d3"]
    elif g["num"]:
        a, b, y = int(g["a4"]), int(g["b4"]), g["y4"]
        y = y if len(y) == 4 else ("20" + y if int(y) < 70 else "19" + y)
        if g["sep"] == "." or a > 12 or (day_first and b <= 12):
            d, mo = a, b  # 01.02.2020 is always day first; 25/05/2018 too
        else:
            mo, d = a, b
    else:
        y, mo, d = g["y5"], _MONTHS[g["m5"].lower().rstrip(".")], 1
    try:
        date = datetime.date(int(y), int(mo), int(d))
    except ValueError:
        return None
    return date.isoformat() if 1990 <= date.year <= 2100 else None


def find_policy_date(md: str) -> str | None:
    """The policy's own "last updated" / "effective" date as YYYY-MM-DD (day 01 if only month and year)."""
    text = md.replace("*", "").replace("_", " ")
    for cue in _DATE_CUE.finditer(text):
        filler = _FILLER.match(text, cue.end())
        m = _DATE.match(text, filler.end()) if filler else None
        if not m:  # the filler ran into the date's own words ("on March"): try each word start
            window = text[cue.end():cue.end() + 45]
            m = next((x for x in _DATE.finditer(window) if not re.search(r"[\d\n.]", window[:x.start()])), None)
        if m:
            english = not re.search(r"[^\x00-\x7f]|stand|gültig|vigueur|jour|actualiz|aggiorn|laatst", cue.group(0), re.I)
            iso = _to_iso(m, day_first=not english)
            if iso:
                return iso
    return None
