import pytest
from axe_playwright_python.sync_playwright import Axe

# WCAG 2.2 AA, as the portal promises in its accessibility statement.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def assert_accessible():
    axe = Axe()

    def _check(page) -> None:
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
        details = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in serious
        )
        assert not serious, f"axe found serious or critical violations on {page.url}:\n{details}"

    return _check


@pytest.fixture
def site(migrated_reference_data, live_server):
    """The live server with demo data, so pages look as people will see them."""
    from django.core.management import call_command

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    return live_server


@pytest.fixture(autouse=True)
def _no_content_security_policy_violations(request):
    """Every browser test also proves the page works under the Content-Security-Policy: the
    browser reports each blocked script, style or image on the console, and any report fails."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations: list[str] = []

    def listen(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", listen)
    yield
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)
