"""The legend under a drawn graph: what the node shapes mean and which gradient size each colour stands for."""
from __future__ import annotations

from collections.abc import Iterable

from autograd.drawing.gradient_scale import NO_GRAD, Band
from autograd.drawing.labels import escape
from autograd.drawing.node_styles import STYLES


def _swatch(band: Band) -> str:
    return (f'<TD BGCOLOR="{band.fill}" BORDER="1" COLOR="#999999">'
            f'<FONT COLOR="{band.font}" POINT-SIZE="9">{escape(band.label, "a band label")}</FONT></TD>')


def legend_label(title: str | None, kinds: Iterable[str], bands: Iterable[Band] | None) -> str | None:
    """A graph label: the title, the node kinds listed, the gradient colours (`bands`, if given); None if empty."""
    swatches = [_swatch(b) for b in (*bands, NO_GRAD)] if bands is not None else []
    span = f'COLSPAN="{len(swatches) + 1}" ALIGN="LEFT"'
    rows = []
    shown_title = "" if title is None else escape(title, "the title")
    if shown_title:
        rows.append(f'<TD {span}><FONT POINT-SIZE="15"><B>{shown_title}</B></FONT></TD>')
    shapes = " &#160; · &#160; ".join(
        f'<FONT COLOR="{STYLES[k].colour}">{escape(STYLES[k].legend, "a legend entry")}</FONT>' for k in kinds)
    if shapes:
        rows.append(f'<TD {span}><FONT POINT-SIZE="10">{shapes}</FONT></TD>')
    if swatches:
        rows.append('<TD ALIGN="LEFT"><FONT POINT-SIZE="10">fill: size of the gradient ‖g‖ </FONT></TD>'
                    + "".join(swatches))
        rows.append(f'<TD {span}><FONT POINT-SIZE="10" COLOR="#555555">arrows run forward; backward() sends '
                    'each gradient back against them (chain rule)</FONT></TD>')
    if not rows:
        return None
    rows.insert(0, f'<TD {span} HEIGHT="8"></TD>')  # a gap between the graph and its label
    return ('<<TABLE BORDER="0" CELLSPACING="3" CELLPADDING="2">'
            + "".join(f"<TR>{row}</TR>" for row in rows) + "</TABLE>>")
