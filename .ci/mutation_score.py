"""Print the mutation score of the last `mutmut run`: the share of mutants the suite killed."""

import json
import subprocess
import sys
from pathlib import Path

subprocess.run([Path(sys.executable).parent / "mutmut", "export-cicd-stats"], check=True)
stats = json.loads(Path("mutants/mutmut-cicd-stats.json").read_text())
tested = stats["total"] - stats["skipped"]
killed = stats["killed"] + stats["timeout"]
print(
    f"Mutation score: {killed} of {tested} mutants killed ({killed / tested:.1%}); "
    f"{stats['survived']} survived, {stats['no_tests']} reached by no test, "
    f"{stats['timeout']} timed out (counted as killed), {stats['suspicious']} suspicious."
)
