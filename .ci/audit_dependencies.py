"""Audit the pinned dependencies for known vulnerabilities with pip-audit.

    python .ci/audit_dependencies.py PATH-TO-PIP-AUDIT

Fails on any known vulnerability not explained in .ci/audit-ignore.txt (one `ID  reason` a line).
pip-audit reads vulnerabilities from PyPI's per-release data; where that service does not answer
it skips the package and still says "No known vulnerabilities found", so this script counts the
skipped packages and says plainly which were not audited instead of passing in silence.
"""

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOCK = HERE.parent / "requirements.lock"
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


def main(pip_audit: str) -> int:
    reasons = explained()
    command = [pip_audit, "-r", str(LOCK), "--no-deps", "--disable-pip", "-f", "json"]
    command += ["--progress-spinner", "off"]
    for vuln_id in reasons:
        command += ["--ignore-vuln", vuln_id]
    done = subprocess.run(command, capture_output=True, text=True)
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        print(done.stdout, done.stderr, sep="\n")
        return 1
    dependencies = report["dependencies"]
    found = [(d["name"], d["version"], v) for d in dependencies for v in d.get("vulns", [])]
    skipped = [d for d in dependencies if "skip_reason" in d]
    for vuln_id, reason in reasons.items():
        print(f"Explained, not fixed: {vuln_id}: {reason}")
    for name, version, vuln in found:
        fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed release yet"
        print(f"VULNERABLE: {name} {version}: {vuln['id']} (fixed in {fixes})")
    audited = len(dependencies) - len(skipped)
    if skipped:
        print(
            f"NOT AUDITED: {len(skipped)} of {len(dependencies)} pinned packages; the "
            "vulnerability service gave no answer for them:"
        )
        for dependency in skipped:
            print(f"  {dependency['skip_reason']}")
    print(f"pip-audit: {audited} packages audited, {len(found)} unexplained vulnerabilities.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
