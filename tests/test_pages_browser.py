"""The term page and the graph page in a real browser, cut off from every host but 127.0.0.1.

One ``kg serve`` of the bundled corpus and one of a report with markup planted
in a term and its definition; Debian's headless Chromium. The term page of
六个致力 must show both definitions with the change marked, its six parts and
a drawn subgraph; the graph page must draw and open a node's page on a click;
planted markup must stay text in the page, the graph and its popups. Set
``KG_SCREENSHOT_DIR`` to keep the screenshots (docs/img holds the README's).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from browser import chromium, console_errors, kg_server, outside_requests, requires_chromium
from conftest import build_reports
from test_widget_browser import HOSTILE_REPORT, open_alert, wait

pytestmark = requires_chromium

PLANTED_LABEL = "<img src=x onerror=alert(1)>计划"
PLANTED_DEFINITION = (
    '<script>alert(1)</script>写进释义，<a href="javascript:alert(1)">点我</a>，'
    "<img src=x onerror=alert(2)>也是。"
)
DESKTOP = (1280, 900)
PHONE = (390, 844)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with kg_server(tmp_path_factory.mktemp("kg")) as base:
        yield base


@pytest.fixture(scope="module")
def hostile_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("planted")
    report = directory / "planted.txt"
    text = HOSTILE_REPORT.format(label=PLANTED_LABEL, definition=PLANTED_DEFINITION)
    report.write_text(text, encoding="utf-8")
    path = build_reports([report], directory / "planted.nt")
    with kg_server(directory / "cache", "--graph", str(path)) as base:
        yield base


@pytest.fixture(scope="module")
def browser_session() -> Iterator[Any]:
    with chromium() as driver:
        yield driver


@pytest.fixture
def browser(browser_session: Any) -> Iterator[Any]:
    """The browser at desktop size, logs drained; no outside request and no error after a test."""
    browser_session.set_window_size(*DESKTOP)
    console_errors(browser_session)
    outside_requests(browser_session)
    yield browser_session
    assert outside_requests(browser_session) == []
    assert console_errors(browser_session) == []


def drawn_graph(driver: Any) -> int:
    """Wait until the graph of the current document has stabilised; its node count."""
    from selenium.webdriver.common.by import By

    container = wait(driver, lambda d: d.find_element(By.ID, "graph"))
    wait(driver, lambda _: container.get_attribute("data-state") == "drawn")
    canvas = container.find_element(By.TAG_NAME, "canvas")
    assert canvas.size["width"] > 100 and canvas.size["height"] > 100
    # Something is painted: the canvas is not one colour.
    colours = driver.execute_script(
        "const c = arguments[0], g = c.getContext('2d');"
        "const d = g.getImageData(0, 0, c.width, c.height).data, seen = new Set();"
        "for (let i = 0; i < d.length; i += 4 * 97) { seen.add(d[i] * 65536 + d[i+1] * 256 + d[i+2]); }"
        "return seen.size;",
        canvas,
    )
    assert colours > 3
    count: int = driver.execute_script("return window.policyGraph.nodes.length")
    assert count == int(container.get_attribute("data-nodes"))
    return count


def node_offset(driver: Any, node: str) -> tuple[int, int]:
    """Where ``node`` is drawn, as an offset from the centre of the canvas."""
    return tuple(  # type: ignore[return-value]
        driver.execute_script(
            "const n = window.policyGraph.network, c = document.querySelector('#graph canvas');"
            "const p = n.canvasToDOM(n.getPositions([arguments[0]])[arguments[0]]);"
            "return [Math.round(p.x - c.clientWidth / 2), Math.round(p.y - c.clientHeight / 2)];",
            node,
        )
    )


def point_at(driver: Any, node: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    canvas = driver.find_element(By.CSS_SELECTOR, "#graph canvas")
    x, y = node_offset(driver, node)
    ActionChains(driver).move_to_element_with_offset(canvas, x, y).perform()


def screenshot(driver: Any, tmp_path: Path, name: str, max_height: int = 2600) -> None:
    """Save the whole page (up to ``max_height`` px) as ``name`` in KG_SCREENSHOT_DIR."""
    width = driver.get_window_size()["width"]
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(height + 100, max_height))
    path = Path(os.environ.get("KG_SCREENSHOT_DIR") or tmp_path) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(path))
    assert path.read_bytes().startswith(b"\x89PNG")


def test_the_term_page_shows_both_definitions_the_change_the_parts_and_the_graph(
    browser: Any, service: str, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{service}/term/liu-ge-zhi-li")
    definitions = browser.find_elements(By.CSS_SELECTOR, "#definitions section.definition")
    assert [d.find_element(By.TAG_NAME, "h3").text[:4] for d in definitions] == ["2024", "2023"]
    inserted = browser.find_element(By.CSS_SELECTOR, ".diff ins")
    deleted = browser.find_element(By.CSS_SELECTOR, ".diff del")
    assert (inserted.text, deleted.text) == ("江汉", "江汉区")
    assert inserted.is_displayed() and deleted.is_displayed()
    struck = browser.execute_script(
        "return getComputedStyle(arguments[0]).textDecorationLine", deleted
    )
    assert "line-through" in struck
    parts = browser.find_elements(By.CSS_SELECTOR, "#parts li")
    assert len(parts) == 6 and parts[0].text == "致力能级跃升"
    frame = browser.find_element(By.CSS_SELECTOR, "iframe.graph-frame")
    browser.execute_script("arguments[0].scrollIntoView()", frame)
    browser.switch_to.frame(frame)
    try:
        assert drawn_graph(browser) >= 10
        labels = browser.execute_script("return window.policyGraph.nodes.map((n) => n.label)")
        assert "六个致力" in labels and "致力民生幸福" in labels
    finally:
        browser.switch_to.default_content()
    browser.execute_script("window.scrollTo(0, 0)")
    screenshot(browser, tmp_path, "term.png")


def test_the_graph_page_draws_and_a_click_opens_a_node(
    browser: Any, service: str, tmp_path: Path
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    browser.get(f"{service}/graph/八个坚持")
    assert drawn_graph(browser) >= 10
    lineage = browser.execute_script(
        "return window.policyGraph.edges.get().filter((e) => e.label === '演变为')"
        ".map((e) => [e.from, e.to])"
    )
    assert lineage == [["term:ba-ge-zhuo-li", "term:ba-ge-jian-chi"]]
    screenshot(browser, tmp_path, "graph.png", max_height=1000)
    browser.set_window_size(*DESKTOP)
    drawn_graph(browser)
    point_at(browser, "term:ba-ge-zhuo-li")
    ActionChains(browser).click().perform()
    wait(browser, lambda d: d.current_url.endswith("/term/ba-ge-zhuo-li"))


def test_planted_markup_is_text_in_the_term_page(browser: Any, hostile_service: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{hostile_service}/search?q=计划")
    browser.find_element(By.CSS_SELECTOR, "ol.results a.term").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == PLANTED_LABEL
    # The text as the service holds it (cleaning folds quotes and brackets), shown verbatim.
    term_id = browser.current_url.rsplit("/", 1)[-1]
    held = httpx.get(f"{hostile_service}/api/v1/terms/{term_id}").json()["definitions"][0]["text"]
    assert "<script>alert(1)</script>" in held and "onerror=alert(2)" in held
    text = browser.find_element(By.CSS_SELECTOR, "#definitions p.text").text
    assert text == held
    made = browser.execute_script(
        "return [document.querySelectorAll('main img, main script, main a[href^=\"javascript\"]').length,"
        " document.querySelectorAll('script:not([src]):not([type=\"application/ld+json\"])').length]"
    )
    assert made == [0, 0]
    data = browser.execute_script(
        "return JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
    )
    assert data["name"] == PLANTED_LABEL and data["description"] == held
    assert open_alert(browser) is None


def test_planted_markup_is_text_in_the_graph_and_its_popups(
    browser: Any, hostile_service: str
) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{hostile_service}/search?q=计划")
    term_url = browser.find_element(By.CSS_SELECTOR, "ol.results a.term").get_attribute("href")
    browser.get(term_url.replace("/term/", "/graph/"))
    drawn_graph(browser)
    center = browser.execute_script("return window.policyGraph.nodes.get()[0]")
    assert center["label"] == PLANTED_LABEL
    point_at(browser, center["id"])
    popup = wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "div.vis-tooltip"))
    wait(browser, lambda _: popup.is_displayed())
    assert "<script>alert(1)</script>写进释义" in popup.text
    assert "<a href=" in popup.text and "javascript:alert(1" in popup.text
    assert browser.execute_script("return arguments[0].children.length", popup) == 0
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    assert open_alert(browser) is None


def test_phone_width_keeps_names_on_one_line(browser: Any, service: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.set_window_size(*PHONE)
    for path in ("/", "/term/liu-ge-zhi-li", "/district/jianghan", "/sparql"):
        browser.get(f"{service}{path}")
        width = browser.execute_script("return document.documentElement.clientWidth")
        scroll = browser.execute_script("return document.documentElement.scrollWidth")
        assert scroll <= width + 1, path
        for link in browser.find_elements(By.CSS_SELECTOR, "main a, header a"):
            if link.text in {"江汉区", "武昌区"}:
                rect = link.rect
                assert rect["width"] > rect["height"], (path, link.text, rect)
    browser.get(f"{service}/term/liu-ge-zhi-li")
    screenshot(browser, tmp_path, "term-phone.png", max_height=2200)
