"""Accessibility checks in the browser: axe-core (tests/e2e/assets/axe.min.js) against WCAG 2.1 AA.

The pages' Content-Security-Policy refuses inline scripts, and Playwright injects the file as
one; a context made for these checks passes bypass_csp=True (see `new_context`).
"""

from pathlib import Path

AXE = Path(__file__).parent / "assets" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN_AXE = """async ([tags, disabled]) => {
  const rules = Object.fromEntries(disabled.map((id) => [id, {enabled: false}]));
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    rules,
    // Only what fails is needed; collecting every pass is most of axe's time on a long page.
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ")),
  }));
}"""


def new_context(browser, base_url, width, height=900):
    """A browser context whose pages accept the injected axe-core script."""
    return browser.new_context(
        base_url=base_url, viewport={"width": width, "height": height}, bypass_csp=True
    )


def violations(page, disable=()):
    """axe-core's WCAG 2.1 AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=AXE)
    return page.evaluate(RUN_AXE, [WCAG_21_AA, list(disable)])


def describe(found):
    lines = []
    for violation in found:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {target}" for target in violation["targets"][:8])
        if len(violation["targets"]) > 8:
            lines.append(f"    ... and {len(violation['targets']) - 8} more")
    return "\n".join(lines)


def assert_accessible(page, disable=(), where=""):
    """Fail with each violation's rule, impact, help and elements; `disable` names rules that a
    page truly cannot meet (say why where it is passed)."""
    found = violations(page, disable)
    assert not found, f"{where or page.url}\n{describe(found)}"
