#!/usr/bin/env python3
"""Runs a composite action's steps the way the GitHub runner does, without GitHub.

usage: run-composite.py ACTION_DIR [NAME=VALUE ...]

NAME=VALUE are the action's inputs (`with:`); the others get their defaults, an unknown one is an
error. The process environment is the job's (GITHUB_ACTIONS, RUNNER_TEMP, ...). For each step, as
the runner does:
  - `if:` is evaluated (the forms below only; anything else is an error, never a guess);
  - `run:` steps: `${{ ... }}` expressions in `run` and `env` are replaced, the script is written
    to a file and run with `bash --noprofile --norc -eo pipefail FILE` (what `shell: bash` means),
    with GITHUB_ACTION_PATH, a GITHUB_OUTPUT, GITHUB_ENV and GITHUB_PATH file of its own, and the
    job's GITHUB_STEP_SUMMARY; afterwards the step's outputs are read (name=value and
    name<<DELIMITER blocks), GITHUB_ENV is added to later steps' environment and GITHUB_PATH put in
    front of their PATH;
  - `uses:` steps cannot run here: one whose `if:` is true is an error.
A failed step skips the rest. Then the action's `outputs` are evaluated and appended to the job's
GITHUB_OUTPUT, as the outputs of the step that used the action. The exit status is the failed
step's, else 0.

Expressions: inputs.NAME, steps.ID.outputs.NAME, github.action_path, runner.temp, and in `if:` a
single `EXPRESSION == 'literal'` or `!=`, success() or always().
"""

import os
import re
import subprocess
import sys
import tempfile
import uuid

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
COMPARISON = re.compile(r"^(\S+)\s*(==|!=)\s*'([^']*)'$")


class Context:
    def __init__(self, action_dir, inputs):
        self.action_dir = action_dir
        self.inputs = inputs
        self.steps = {}
        self.failed = False

    def value(self, expression):
        parts = expression.split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            return self.inputs.get(parts[1], "")
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return self.steps.get(parts[1], {}).get(parts[3], "")
        if expression == "github.action_path":
            return self.action_dir
        if expression == "runner.temp":
            return os.environ["RUNNER_TEMP"]
        raise SystemExit(f"run-composite: unsupported expression: {expression}")

    def substitute(self, text):
        return EXPRESSION.sub(lambda m: self.value(m.group(1)), str(text))

    def condition(self, text):
        if text is None:
            return not self.failed
        text = EXPRESSION.sub(lambda m: m.group(1), str(text)).strip()
        if text == "success()":
            return not self.failed
        if text == "always()":
            return True
        match = COMPARISON.match(text)
        if not match:
            raise SystemExit(f"run-composite: unsupported condition: {text}")
        if self.failed:
            return False
        left = self.value(match.group(1))
        return (left == match.group(3)) == (match.group(2) == "==")


def read_outputs(path):
    """name=value lines and name<<DELIMITER blocks, as the runner reads GITHUB_OUTPUT."""
    outputs = {}
    with open(path, encoding="utf-8") as file:
        lines = file.read().split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line:
            continue
        heredoc = re.match(r"^([^=<]+)<<(.+)$", line)
        if heredoc:
            name, delimiter = heredoc.groups()
            value = []
            while index < len(lines) and lines[index] != delimiter:
                value.append(lines[index])
                index += 1
            if index == len(lines):
                raise SystemExit(f"run-composite: {path}: no closing {delimiter}")
            index += 1
            outputs[name] = "\n".join(value)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
        else:
            raise SystemExit(f"run-composite: {path}: not an output line: {line!r}")
    return outputs


def write_output(path, name, value):
    with open(path, "a", encoding="utf-8") as file:
        if "\n" in value:
            delimiter = f"ghadelimiter_{uuid.uuid4()}"
            file.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
        else:
            file.write(f"{name}={value}\n")


def main():
    action_dir = os.path.abspath(sys.argv[1])
    with open(os.path.join(action_dir, "action.yml"), encoding="utf-8") as file:
        action = yaml.safe_load(file)
    if action["runs"]["using"] != "composite":
        raise SystemExit("run-composite: not a composite action")

    declared = action.get("inputs", {})
    inputs = {name: str(spec.get("default", "")) for name, spec in declared.items()}
    for argument in sys.argv[2:]:
        name, value = argument.split("=", 1)
        if name not in declared:
            raise SystemExit(f"run-composite: the action has no input {name}")
        inputs[name] = value
    context = Context(action_dir, inputs)

    environment = dict(os.environ)
    status = 0
    work = tempfile.mkdtemp(prefix="run-composite-", dir=os.environ.get("RUNNER_TEMP"))
    for number, step in enumerate(action["runs"]["steps"]):
        label = step.get("name", step.get("id", f"step {number}"))
        if not context.condition(step.get("if")):
            print(f"run-composite: skipped: {label}", file=sys.stderr)
            continue
        if "uses" in step:
            raise SystemExit(f"run-composite: cannot run '{label}' (uses: {step['uses']})")
        if step.get("shell") != "bash":
            raise SystemExit(f"run-composite: '{label}' does not say shell: bash")
        files = {kind: os.path.join(work, f"{number}.{kind}") for kind in ("output", "env", "path")}
        for path in files.values():
            open(path, "w").close()
        script = os.path.join(work, f"{number}.sh")
        with open(script, "w", encoding="utf-8") as file:
            file.write(context.substitute(step["run"]))
        step_environment = dict(environment)
        step_environment.update(
            {name: context.substitute(value) for name, value in step.get("env", {}).items()})
        step_environment.update(
            GITHUB_ACTION_PATH=action_dir, GITHUB_OUTPUT=files["output"],
            GITHUB_ENV=files["env"], GITHUB_PATH=files["path"])
        print(f"run-composite: running: {label}", file=sys.stderr)
        sys.stdout.flush()
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", script], env=step_environment)
        if "id" in step:
            context.steps[step["id"]] = read_outputs(files["output"])
        environment.update(read_outputs(files["env"]))
        with open(files["path"], encoding="utf-8") as file:
            for directory in reversed([line for line in file.read().split("\n") if line]):
                environment["PATH"] = directory + os.pathsep + environment["PATH"]
        if result.returncode != 0:
            print(f"run-composite: '{label}' failed with exit status {result.returncode}",
                  file=sys.stderr)
            context.failed = True
            status = result.returncode

    for name, spec in action.get("outputs", {}).items():
        write_output(os.environ["GITHUB_OUTPUT"], name, context.substitute(spec["value"]))
    return status


if __name__ == "__main__":
    sys.exit(main())
