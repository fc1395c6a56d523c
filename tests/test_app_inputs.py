"""The app's input pages: messages in the page's language, the Adjust page's boxes and address.

Uploads and Adjust boxes are driven with Streamlit's AppTest by widget key; what the address
holds is checked by reopening the page from it.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from app import documents, i18n, messages, scenario_io, scope, url_state
from app.catalogue import MEASURES
from model.registry import REGISTRY
from tests.conftest import ROOT

MAIN = str(ROOT / "app" / "main.py")
N = 5_000
END = 2027

# words of the loader's English messages (pydantic, PyYAML, the registry) a planner must not see
DEVELOPER_WORDS = (
    "found",
    "allowed",
    "Field required",
    "unknown parameter",
    "registry",
    "Number",
    "outside",
    "expected",
    "missing",
    "Input should",
    "mapping",
)

THREE_MISTAKES = b"""name: three
extends: baseline.yaml
parameters:
  medical.resident_subsidyy:
    unit: yuan/person/year
    values:
      2025: {value: 900, source: {assumption: 'a planner tries 900 yuan'}}
  childcare.child_subsidy:
    unit: yuan/person/year
    values:
      2025: {value: -100, source: {assumption: 'a negative subsidy by mistake'}}
"""  # a misspelt name, a negative subsidy and no title


def open_app(page: str, query: dict[str, str] | None = None, lang: str = "zh") -> AppTest:
    """The app on `page` with small runs, opened from an address with `query`."""
    at = AppTest.from_file(MAIN, default_timeout=120)
    for prefix in ("compare", "adjust"):
        at.session_state[f"{prefix}_households"] = N
        at.session_state[f"{prefix}_end"] = END
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at


def english_words(text: str) -> list[str]:
    """The developer words in `text` outside `code` spans (names as written in a file)."""
    plain = re.sub(r"`[^`]*`", "", text)
    return [w for w in DEVELOPER_WORDS if w.lower() in plain.lower()]


# ------------------------------------------------------------------ messages


def test_an_upload_with_three_mistakes_lists_three_problems_in_chinese():
    at = open_app("adjust")
    at.file_uploader(key="adjust_upload").set_value(
        ("three.yaml", THREE_MISTAKES, "application/x-yaml")
    ).run()
    assert not at.exception
    assert len(at.error) == 1
    msg = at.error[0].value
    assert msg.startswith(i18n.t("upload_invalid", "zh", n=3)), msg
    lines = [x for x in msg.splitlines() if x.startswith("- ")]
    assert len(lines) == 3, lines
    missing, misspelt, negative = lines
    assert "情景标题" in missing and "补上" in missing
    assert "medical.resident_subsidyy" in misspelt
    assert i18n.param_label("medical.resident_subsidy", "zh") in misspelt  # what was meant
    assert i18n.param_label("childcare.child_subsidy", "zh") in negative
    assert "-100" in negative and "0元/人·年至50,000元/人·年" in negative
    assert english_words(msg) == [], msg


def test_every_kind_of_loader_problem_reads_in_the_pages_language():
    uploads = [
        b"name: a\nname: b\ntitle: c\n",  # duplicate key
        b"name: a\ntitle: [unclosed\n",  # YAML syntax
        b"!!python/object/apply:os.system ['true']\n",  # a tag
        b"name: a\ntitle: b\nextends: /etc/passwd\n",
        b"name: My Scenario\ntitle: b\nextends: baseline.yaml\n",
        b"name: a\ntitle: b\nextends: baseline.yaml\nparameterz: {}\n",
        b"\xff\xfe\x00",
        b"name: a\ntitle: b\nextends: baseline.yaml\nparameters:\n  dibao.takeup_rural:\n"
        b"    unit: percent\n    values:\n      2025: {value: 0.5, source: {assumption: 'a wrong unit here'}}\n",
        b"name: a\ntitle: b\nextends: baseline.yaml\nparameters:\n  dibao.takeup_rural:\n"
        b"    unit: share\n    values:\n      2025: {value: '0.5', source: {assumption: 'a quoted number'}}\n",
    ]
    for data in uploads:
        with pytest.raises(scenario_io.UploadError) as err:
            scenario_io.read_upload("mine.yaml", data)
        for lang in ("zh", "en"):
            for m in messages.explain_all(err.value.problems, lang):
                text = messages.line(m, lang)
                fallback = {"zh": "不符合情景文件的格式", "en": "does not fit the scenario"}[lang]
                assert fallback in i18n.t("msg.other", lang, at="", found="")
                assert fallback not in text, text  # a shape the messages know
                if lang == "zh":
                    assert english_words(text) == [], text
                    assert re.search(r"[\u4e00-\u9fff]", text), text


def test_adjust_boxes_take_their_ranges_from_the_registry_and_refuse_the_rest():
    at = open_app("adjust")
    box = at.number_input(key="m_childcare_child_subsidy")
    spec = REGISTRY["childcare.child_subsidy"]
    assert box.min is None or box.min <= spec.lo  # never a narrower range than the loader's
    box.set_value(spec.hi + 1).run()
    assert not at.exception
    # the box keeps what was typed, says why it is refused, and nothing is run with it
    assert at.number_input(key="m_childcare_child_subsidy").value == spec.hi + 1
    errors = [e.value for e in at.error]
    assert any(i18n.param_label("childcare.child_subsidy", "zh") in e for e in errors), errors
    assert any(e == i18n.t("msg.box_invalid", "zh", n=1) for e in errors), errors
    assert len(at.metric) == 0 and "edit" not in at.query_params
    # the highest allowed value is accepted
    at.number_input(key="m_childcare_child_subsidy").set_value(spec.hi).run()
    assert not at.error and len(at.metric) > 0
    # a share's box is in percent: 100% is the registry's 1
    share = next(m for m in MEASURES if m.kind == "percent")
    assert share.to_widget(REGISTRY[share.param].hi) == 100 * REGISTRY[share.param].hi


# ------------------------------------------------------------------ the address


def test_a_reform_reopens_from_its_address_with_the_same_values():
    at = open_app("adjust")
    at.selectbox(key="adjust_from_year").set_value(2026).run()
    at.number_input(key="m_medical_resident_subsidy").set_value(910).run()
    at.number_input(key="m_pension_resident_minimum").set_value(200).run()
    query = {k: at.query_params[k] for k in ("start", "from", "edit")}
    assert query["edit"] == "medical.resident_subsidy:910,pension.resident_minimum:200"
    assert len(query["edit"]) <= url_state.MAX_CHARS

    again = open_app("adjust", query)
    assert again.selectbox(key="adjust_from_year").value == 2026
    assert again.number_input(key="m_medical_resident_subsidy").value == 910
    assert again.number_input(key="m_pension_resident_minimum").value == 200
    assert not again.warning
    shown = [
        c.value for c in again.caption if c.value.startswith(i18n.t("adjust.changes", "zh", n=2))
    ]
    assert shown, [c.value for c in again.caption]


def test_changing_the_year_keeps_the_edits():
    at = open_app("adjust")
    at.number_input(key="m_medical_resident_subsidy").set_value(950).run()
    at.selectbox(key="adjust_from_year").set_value(2027).run()
    assert at.number_input(key="m_medical_resident_subsidy").value == 950
    assert at.query_params["from"] == "2027"
    assert at.query_params["edit"] == "medical.resident_subsidy:950"


def test_an_address_with_bad_edits_is_refused_with_a_message():
    query = {
        "start": "opinions_2025.yaml",
        "edit": "medical.resident_subsidyy:900,childcare.child_subsidy:-5,"
        "population.total:1,medical.resident_contribution:nan,childcare.voucher:2000",
    }
    at = open_app("adjust", query)
    (warning,) = at.warning
    lines = [x for x in warning.value.splitlines() if x.startswith("- ")]
    assert len(lines) == 4, lines
    assert english_words(warning.value) == [], warning.value
    # nothing refused is applied; the valid edit is
    opinions = scenario_io.load_scenario(scenario_io.SCENARIO_DIR / "opinions_2025.yaml")
    for key, param in (
        ("m_childcare_child_subsidy", "childcare.child_subsidy"),
        ("m_medical_resident_contribution", "medical.resident_contribution"),
    ):
        assert at.number_input(key=key).value == opinions.value(param, 2025)
    assert at.number_input(key="m_childcare_voucher").value == 2000


def test_an_address_too_long_is_refused():
    state = url_state.decode(
        {"edit": "childcare.voucher:1," * 200}, ["baseline.yaml"], {"childcare.voucher"}
    )
    assert state.edits == {} and [p.allowed for p in state.problems] == ["url_too_long"]


# ------------------------------------------------------------------ sources


def test_sources_search_every_scenario_and_show_documents_by_title():
    at = open_app("sources")
    at.text_input(key="sources_search").set_value("低保").run()
    assert at.selectbox(key="sources_detail").value.startswith("dibao.")
    at.text_input(key="sources_search").set_value("700").run()
    assert not at.exception
    table = at.dataframe[0].value
    # 700 is the resident medical subsidy of 2025, in every scenario, and nothing else
    assert set(table.iloc[:, 0]) == {"medical.resident_subsidy"}
    shipped = scenario_io.shipped_scenarios()
    loaded = {k: scenario_io.load_scenario(p) for k, p in shipped.items()}
    hits = scenario_io.search(scenario_io.all_sources(loaded), "700")
    assert len(hits) == len(table)
    with_700 = {
        k
        for k, sc in loaded.items()
        if any(v.value == 700 for v in sc.params["medical.resident_subsidy"])
    }
    assert len(with_700) > 2
    assert {k for names in hits.scenarios for k in names.split(", ")} == with_700
    # the picker follows the search: never the row number of an earlier one
    assert at.selectbox(key="sources_detail").value.startswith("medical.resident_subsidy|2025|")
    detail = " ".join(m.value for m in at.markdown)
    doc = documents.catalogue()["001_3ac9c84125cde09e.txt"]
    assert doc.issuer == "State Council Information Office" and doc.date == "10 June 2025"
    assert doc.title in detail and doc.issuer in detail and doc.date in detail
    # a quote from a table of public-facts.md reads as text, without markdown pipes
    at.text_input(key="sources_search").set_value("births 2024").run()
    assert at.text and all("|" not in t.value for t in at.text), [t.value for t in at.text]
    assert "|" not in "".join(at.dataframe[0].value[i18n.t("col.text", "zh")])


def test_documents_without_their_descriptions_are_named_by_file(tmp_path):
    assert documents.catalogue(tmp_path) == {}
    assert documents.describe("public-facts.md", {}).title == "public-facts.md"
    assert documents.plain_text("| a | b |\n|---|---|\n| c | d |") == "a：b\nc：d"


# ------------------------------------------------------------------ about


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_about_lists_every_measure_of_the_registry(lang):
    at = open_app("about", lang=lang)
    titles = [e.label for e in at.expander]
    for measure in scope.measures():
        name = i18n.t(f"about.measure.{measure}", lang)
        assert any(t.startswith(name) for t in titles), (measure, titles)
    # every parameter of every measure is listed, the childcare subsidy among them
    page = " ".join(m.value for m in at.markdown)
    assert i18n.param_label("childcare.child_subsidy", lang) in page
    for p in REGISTRY:
        if scope.family(p) in scope.measures():
            assert any(f"`{q}`" in page for q in (p, *scope.parameters_of(scope.family(p)))), p
    assert f"`{'childcare.child_subsidy'}`" in page
    # nothing said of the model is older than the model
    assert "being added" not in page and "正在加入" not in page
    modelled = at.table[0].value
    assert len(modelled) == sum(r.modelled for r in scope.scope_rows()) > 10
