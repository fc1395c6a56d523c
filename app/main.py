"""The planners' app: `streamlit run app/main.py` (or `minsheng app`, or `make app`).

Sets the page, the language switch (Chinese by default) and the four pages.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app import engine, i18n
from app.ui import T

HERE = Path(__file__).parent

# the favicon is a local file (a Material icon name would be fetched from fonts.gstatic.com: the
# app makes no request to another host)
st.set_page_config(
    page_title="minsheng 民生", page_icon=str(HERE / "assets" / "favicon.png"), layout="wide"
)
# the model's compiled kernels, once per server (about 10 s the first time on a new machine)
engine.warm_up()

if "lang" not in st.session_state:
    wanted = st.query_params.get("lang", i18n.DEFAULT)
    st.session_state["lang"] = wanted if wanted in i18n.LANGS else i18n.DEFAULT


def _keep_choices() -> None:
    """Keep every choice across a language switch.

    Streamlit remembers a selectbox's choice by its label, and the labels change with the
    language; storing each widget's value back into session state keeps the value itself.
    """

    def choice(v: object) -> bool:  # choices and numbers; not buttons (bool) nor uploads
        if isinstance(v, (list, tuple)):
            return all(choice(x) for x in v)
        return isinstance(v, (str, int, float)) and not isinstance(v, bool)

    for k in list(st.session_state.keys()):
        if k != "lang" and not str(k).startswith("_") and choice(st.session_state[k]):
            st.session_state[k] = st.session_state[k]


with st.sidebar:
    st.radio(
        T("language"),
        i18n.LANGS,
        key="lang",
        horizontal=True,
        format_func=lambda code: i18n.LANGUAGE_NAMES[code],
        on_change=_keep_choices,
    )
st.query_params["lang"] = st.session_state["lang"]

pages = [
    st.Page(
        HERE / "views" / "compare.py",
        title=T("page.compare"),
        icon=":material/compare_arrows:",
        url_path="compare",
        default=True,
    ),
    st.Page(
        HERE / "views" / "adjust.py",
        title=T("page.adjust"),
        icon=":material/tune:",
        url_path="adjust",
    ),
    st.Page(
        HERE / "views" / "sources.py",
        title=T("page.sources"),
        icon=":material/menu_book:",
        url_path="sources",
    ),
    st.Page(
        HERE / "views" / "family.py",
        title=T("page.family"),
        icon=":material/family_restroom:",
        url_path="family",
    ),
    st.Page(
        HERE / "views" / "about.py", title=T("page.about"), icon=":material/info:", url_path="about"
    ),
]
page = st.navigation(pages)
with st.sidebar:
    st.caption(T("sidebar_note"))
page.run()
