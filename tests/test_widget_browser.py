"""The widget in a real browser: the snippet of /widget pasted into a page of another origin.

One ``kg serve`` of the bundled corpus, one plain ``http.server`` on a second
port for the embedding pages, one headless Chromium that cannot reach any host
but 127.0.0.1. Set ``KG_SCREENSHOT_DIR`` (``make screenshots`` does) to keep
the screenshot of the /widget page.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from browser import (
    chromium,
    console_errors,
    kg_server,
    outside_requests,
    requires_chromium,
    static_server,
)
from conftest import build_reports

pytestmark = requires_chromium

WAIT_SECONDS = 15
HOSTILE = '<script>alert(1)</script> <img src=x onerror=alert(1)> <a href="javascript:alert(1)">'
HOSTILE_LABEL = "<img src=x onerror=alert(1)>规划"
HOSTILE_DEFINITION = "<script>alert(1)</script>写进释义，javascript:alert(1)也是。"
# A report in the genre's layout whose one glossary entry plants the markup above.
HOSTILE_REPORT = """\
 政 府 工 作 报 告
——2024年12月29日在江汉区第十六届人民代表大会第四次会议上

武汉市江汉区人民政府区长 张明

各位代表：

现在，我代表区人民政府，向大会报告工作。

附件

名词解释

1.{label}：{definition}
"""


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with kg_server(tmp_path_factory.mktemp("kg")) as base:
        yield base


@pytest.fixture(scope="module")
def hostile_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A service whose graph has markup planted in a term's label and its definition."""
    directory = tmp_path_factory.mktemp("hostile")
    report = directory / "hostile.txt"
    text = HOSTILE_REPORT.format(label=HOSTILE_LABEL, definition=HOSTILE_DEFINITION)
    report.write_text(text, encoding="utf-8")
    path = build_reports([report], directory / "hostile.nt")
    with kg_server(directory / "cache", "--graph", str(path)) as base:
        yield base


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("site")


@pytest.fixture(scope="module")
def site(site_dir: Path) -> Iterator[str]:
    with static_server(site_dir) as base:
        yield base


@pytest.fixture(scope="module")
def snippet(service: str) -> str:
    """The snippet the /widget page offers, as a user would copy it."""
    page = httpx.get(f"{service}/widget").text
    found = re.search(r'<code id="widget-snippet">(.*?)</code>', page, re.S)
    assert found is not None, "the /widget page shows no snippet"
    return html.unescape(found.group(1))


@pytest.fixture(scope="module")
def browser_session() -> Iterator[Any]:
    with chromium() as driver:
        yield driver


@pytest.fixture
def browser(browser_session: Any) -> Iterator[Any]:
    """The browser, with logs drained before the test and no outside request after it."""
    console_errors(browser_session)
    outside_requests(browser_session)
    yield browser_session
    assert outside_requests(browser_session) == []


def embed(site_dir: Path, site: str, name: str, body: str) -> str:
    """Write a plain HTML page to the second server; its URL."""
    document = (
        '<!doctype html>\n<html lang="zh">\n<head><meta charset="utf-8">'
        "<title>嵌入测试</title></head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )
    (site_dir / name).write_text(document, encoding="utf-8")
    return f"{site}/{name}"


def wait(driver: Any, condition: Any) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT_SECONDS).until(condition)


def wait_annotated(driver: Any, selector: str) -> Any:
    """The container at ``selector`` once its annotation has finished."""
    from selenium.webdriver.common.by import By

    container = driver.find_element(By.CSS_SELECTOR, selector)
    wait(driver, lambda _: container.get_attribute("data-policy-terms-state") != "pending")
    assert container.get_attribute("data-policy-terms-state") == "done"
    return container


def open_card(driver: Any, term: Any) -> Any:
    """The hovercard of ``term`` once it shows more than the loading note."""
    from selenium.webdriver.common.by import By

    card = term.shadow_root.find_element(By.CSS_SELECTOR, ".card")
    wait(driver, lambda _: card.is_displayed() and "正在查询" not in card.text)
    return card


def hover(driver: Any, element: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).move_to_element(element).perform()


def move_away(driver: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    ActionChains(driver).move_to_element_with_offset(
        driver.find_element(By.TAG_NAME, "body"), 0, 0
    ).perform()


def open_alert(driver: Any) -> str | None:
    """The text of an alert the page raised and left open, if any."""
    from selenium.common.exceptions import NoAlertPresentException

    try:
        return str(driver.switch_to.alert.text)
    except NoAlertPresentException:
        return None


def test_the_browser_cannot_reach_other_hosts(browser: Any, service: str) -> None:
    browser.get(f"{service}/healthz")
    outcome = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('http://example.com/').then(() => done('reached'), () => done('failed'));"
    )
    assert outcome == "failed"
    # The performance log sees the attempt: it would see any other request too.
    assert outside_requests(browser) == ["http://example.com/"]


def test_snippet_on_another_origin_shows_a_hovercard_on_hover(
    browser: Any, service: str, site: str, site_dir: Path, snippet: str
) -> None:
    from selenium.webdriver.common.by import By

    browser.get(embed(site_dir, site, "snippet.html", snippet))
    term = wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "body > policy-term"))
    hover(browser, term)
    card = open_card(browser, term)
    summary = httpx.get(f"{service}/api/v1/terms/liu-ge-zhi-li/summary").json()
    # The district line shows once the summary names one.
    meta = " · ".join(filter(None, [f"{summary['year']}年", summary.get("district")]))
    assert card.text.splitlines() == ["六个致力", meta, summary["definition"], "查看术语页 →"]
    assert "“十四五”时期重点抓好的六个方面工作" in summary["definition"]
    link = card.find_element(By.CSS_SELECTOR, "a")
    assert link.get_attribute("href") == f"{service}/term/liu-ge-zhi-li"
    move_away(browser)
    wait(browser, lambda _: not card.is_displayed())
    assert console_errors(browser) == []


def test_snippet_on_another_origin_annotates_its_container(
    browser: Any, site: str, site_dir: Path, snippet: str
) -> None:
    from selenium.webdriver.common.by import By

    browser.get(embed(site_dir, site, "snippet.html", snippet))
    container = wait_annotated(browser, "[data-policy-terms]")
    terms = container.find_elements(By.CSS_SELECTOR, "policy-term")
    assert [(t.text, t.get_attribute("term")) for t in terms] == [
        ("六个致力", "liu-ge-zhi-li"),
        ("八个坚持", "ba-ge-jian-chi"),
    ]
    # The text reads as before, and each wrapped term has the same hovercard.
    text = browser.execute_script("return arguments[0].textContent", container)
    assert text.strip() == snippet.splitlines()[-2].strip()
    hover(browser, terms[1])
    assert "八个坚持" in open_card(browser, terms[1]).text
    assert console_errors(browser) == []


def test_keyboard_focus_opens_the_card_and_escape_closes_it(
    browser: Any, site: str, site_dir: Path, snippet: str
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(embed(site_dir, site, "snippet.html", snippet))
    term = wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "body > policy-term"))
    ActionChains(browser).send_keys(Keys.TAB).perform()
    card = open_card(browser, term)
    trigger = term.shadow_root.find_element(By.CSS_SELECTOR, ".term")
    assert trigger.get_attribute("aria-describedby") == card.get_attribute("id")
    assert card.get_attribute("role") == "tooltip"
    # Tab reaches the card's link; the card stays open while focus is inside it.
    ActionChains(browser).send_keys(Keys.TAB).perform()
    assert (
        browser.execute_script("return arguments[0].shadowRoot.activeElement.tagName", term) == "A"
    )
    assert card.is_displayed()
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    wait(browser, lambda _: not card.is_displayed())
    assert browser.execute_script("return arguments[0].shadowRoot.activeElement", term) == trigger


def test_a_tap_opens_the_card_and_a_second_tap_closes_it(
    browser: Any, site: str, site_dir: Path, snippet: str
) -> None:
    from selenium.webdriver.common.actions import interaction
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.actions.pointer_input import PointerInput
    from selenium.webdriver.common.by import By

    def tap(element: Any) -> None:
        finger = PointerInput(interaction.POINTER_TOUCH, "finger")
        actions = ActionBuilder(browser, mouse=finger)
        actions.pointer_action.move_to(element).pointer_down().pointer_up()
        actions.perform()

    browser.get(embed(site_dir, site, "snippet.html", snippet))
    term = wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "body > policy-term"))
    tap(term)
    card = open_card(browser, term)
    assert "六个方面工作" in card.text
    tap(term)
    wait(browser, lambda _: not card.is_displayed())


def test_hostile_text_stays_text_after_annotation(
    browser: Any, site: str, site_dir: Path, snippet: str
) -> None:
    from selenium.webdriver.common.by import By

    script_tag = snippet.splitlines()[0]
    text = f"{HOSTILE} 锚定“六个致力”，javascript:alert(1) {HOSTILE}"
    body = f'{script_tag}\n<p id="hostile" data-policy-terms>{html.escape(text)}</p>'
    browser.get(embed(site_dir, site, "hostile.html", body))
    container = wait_annotated(browser, "#hostile")
    assert [t.text for t in container.find_elements(By.CSS_SELECTOR, "policy-term")] == ["六个致力"]
    children = browser.execute_script(
        "return [...arguments[0].querySelectorAll('*')].map((e) => e.tagName)", container
    )
    assert children == ["POLICY-TERM"]
    assert browser.execute_script("return arguments[0].textContent", container) == text
    assert open_alert(browser) is None
    assert console_errors(browser) == []


def test_markup_in_the_graph_shows_as_text_in_the_card(
    browser: Any, hostile_service: str, site: str, site_dir: Path
) -> None:
    from selenium.webdriver.common.by import By

    text = f"文中写到{HOSTILE_LABEL}一词。"
    body = (
        f'<script src="{hostile_service}/widget.js" defer></script>\n'
        f'<p id="planted" data-policy-terms>{html.escape(text)}</p>'
    )
    browser.get(embed(site_dir, site, "planted.html", body))
    container = wait_annotated(browser, "#planted")
    terms = container.find_elements(By.CSS_SELECTOR, "policy-term")
    assert [t.get_attribute("textContent") for t in terms] == [HOSTILE_LABEL]
    hover(browser, terms[0])
    card = open_card(browser, terms[0])
    lines = card.text.splitlines()
    assert lines[0] == HOSTILE_LABEL
    assert HOSTILE_DEFINITION.split("，")[0] in lines[2]
    created = browser.execute_script(
        "const root = arguments[0].shadowRoot;"
        "return [...document.querySelectorAll('img, script:not([src])'),"
        " ...root.querySelectorAll('img, script')].length",
        terms[0],
    )
    assert created == 0
    assert open_alert(browser) is None
    assert console_errors(browser) == []


def test_an_unknown_term_shows_a_note(
    browser: Any, site: str, site_dir: Path, snippet: str
) -> None:
    from selenium.webdriver.common.by import By

    script_tag = snippet.splitlines()[0]
    body = f"{script_tag}\n<p><policy-term>没有这个词</policy-term></p>"
    browser.get(embed(site_dir, site, "unknown.html", body))
    term = wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "policy-term"))
    hover(browser, term)
    card = open_card(browser, term)
    assert card.text == "未收录“没有这个词”。"
    # Only the browser's own note of the lookup's 404; the widget logs nothing.
    for message in console_errors(browser):
        assert "/api/v1/lookup?label=" in message and "404" in message, message


def test_widget_page_runs_its_demo_without_console_errors(
    browser: Any, service: str, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{service}/widget")
    container = wait_annotated(browser, "#widget-demo-text")
    labels = [t.text for t in container.find_elements(By.CSS_SELECTOR, "policy-term")]
    assert {"六个致力", "八个坚持", "三所一庭"} <= set(labels)
    term = browser.find_element(By.CSS_SELECTOR, "#widget-demo-term policy-term")
    hover(browser, term)
    card = open_card(browser, term)
    assert "六个方面工作" in card.text
    assert console_errors(browser) == []
    screenshot = Path(os.environ.get("KG_SCREENSHOT_DIR") or tmp_path) / "widget.png"
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(screenshot))
    assert screenshot.read_bytes().startswith(b"\x89PNG")
