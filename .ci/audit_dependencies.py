"""Audit the pinned dependencies of both locks for known vulnerabilities with pip-audit.

    python .ci/audit_dependencies.py PATH-TO-PIP-AUDIT

requirements.lock is what production installs; requirements-dev.lock adds the tools that test and
check the app. Each is audited and reported on its own, so a finding says whether it reaches a
council's server. Fails on any known vulnerability in either not explained in
.ci/audit-ignore.txt (one `ID  reason` a line).
pip-audit reads vulnerabilities from PyPI's per-release data; where that service does not answer
it skips the package and still says "No known vulnerabilities found", so this script counts the
skipped packages and says plainly which were not audited instead of passing in silence.
"""

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOCKS = [HERE.parent / "requirements.lock", HERE.parent / "requirements-dev.lock"]
IGNORE = HERE / "audit-ignore.txt"


def explained() -> dict[str, str]:
    reasons = {}
    for line in IGNORE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            vuln_id, _, reason = line.partition(" ")
            if not reason.strip():
                sys.exit(f"{IGNORE.name}: {vuln_id} needs a reason beside it")
            reasons[vuln_id] = reason.strip()
    return reasons


def audit(pip_audit: str, lock: Path, reasons: dict[str, str]) -> int:
    """Audit one lock; the number of unexplained vulnerabilities, or -1 if pip-audit failed."""
    command = [pip_audit, "-r", str(lock), "--no-deps", "--disable-pip", "-f", "json"]
    command += ["--progress-spinner", "off"]
    for vuln_id in reasons:
        command += ["--ignore-vuln", vuln_id]
    done = subprocess.run(command, capture_output=True, text=True)
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        print(done.stdout, done.stderr, sep="\n")
        return -1
    dependencies = report["dependencies"]
    found = [(d["name"], d["version"], v) for d in dependencies for v in d.get("vulns", [])]
    skipped = [d for d in dependencies if "skip_reason" in d]
    for name, version, vuln in found:
        fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed release yet"
        print(f"VULNERABLE in {lock.name}: {name} {version}: {vuln['id']} (fixed in {fixes})")
    audited = len(dependencies) - len(skipped)
    if skipped:
        print(
            f"NOT AUDITED in {lock.name}: {len(skipped)} of {len(dependencies)} pinned packages; "
            "the vulnerability service gave no answer for them:"
        )
        for dependency in skipped:
            print(f"  {dependency['skip_reason']}")
    print(
        f"pip-audit, {lock.name}: {audited} packages audited, "
        f"{len(found)} unexplained vulnerabilities."
    )
    return len(found)


def main(pip_audit: str) -> int:
    reasons = explained()
    for vuln_id, reason in reasons.items():
        print(f"Explained, not fixed: {vuln_id}: {reason}")
    results = [audit(pip_audit, lock, reasons) for lock in LOCKS]
    return 1 if any(found != 0 for found in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
