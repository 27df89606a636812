#!/usr/bin/env python3
"""Turns bench/run.sh's results.tsv into bench/RESULTS.md: the table, the ratios, the machine.

usage: report.py RESULTS_TSV RESULTS_MD --started DATE --load "L1 L5 L15" --java N --runs N --big-mib N
"""

import argparse
import os
import platform
import statistics
import subprocess

LABELS = {
    "fanout1": "Fanout → 1 registry (cli/fanout, fresh JVM)",
    "fanout3": "Fanout → 3 registries (cli/fanout, fresh JVM)",
    "fanoutaot1": "Fanout → 1 registry, cli/fanout on JDK 25+ (its AOT cache instead of the class-data archive)",
    "fanoutaot3": "Fanout → 3 registries, cli/fanout on JDK 25+ (its AOT cache instead of the class-data archive)",
    "fanoutjar3": "Fanout → 3, plain java -jar (no launcher flags: no class-data archive, default JIT)",
    "jibcore1": "jib-core obvious → 1 registry",
    "jibcore3": "jib-core obvious → 3 registries, one after another",
    "mvnjib3": "mvn jib:build once per registry → 3",
    "skopeo1": "skopeo copy docker-save tarball → 1 registry",
    "skopeo3": "skopeo copy docker-save tarball → 3, in turn",
    "floor3": "floor: gzip -6 in parallel + one parallel upload → 3",
    "pigzfloor3": "pigz floor: pigz -6 -p 2 per layer, layers in parallel + one parallel upload → 3",
    "rerun3": "Fanout re-run → 3 registries holding the image",
    "big3": "Fanout → 3, one {big} MiB layer, -Xmx256m",
}

# (name, numerator, denominator, target or None): computed from medians of this run only.
RATIOS = [
    ("Fanout→1 / skopeo→1 (issue 18)", "fanout1", "skopeo1", 1.2),
    ("Fanout→3 / skopeo→3 (issue 18)", "fanout3", "skopeo3", 0.6),
    ("Fanout→3 / pigz floor→3 (issue 18)", "fanout3", "pigzfloor3", 1.2),
    ("Fanout→3 / Fanout→1", "fanout3", "fanout1", 1.15),
    ("Fanout on JDK 25+ →1 / skopeo→1 (issue 18)", "fanoutaot1", "skopeo1", 1.2),
    ("Fanout on JDK 25+ →3 / skopeo→3 (issue 18)", "fanoutaot3", "skopeo3", 0.6),
    ("Fanout on JDK 25+ →3 / pigz floor→3 (issue 18)", "fanoutaot3", "pigzfloor3", 1.2),
    ("Fanout on JDK 25+ →3 / →1", "fanoutaot3", "fanoutaot1", 1.15),
    ("Fanout→1 on JDK 25+ / on the default java", "fanoutaot1", "fanout1", None),
    ("Fanout→3 / jib-core obvious→3", "fanout3", "jibcore3", 0.8),
    ("Fanout→3 / mvn jib:build ×3", "fanout3", "mvnjib3", 0.35),
    ("Fanout→3 / floor→3", "fanout3", "floor3", 1.5),
    ("jib-core obvious→3 / jib-core obvious→1", "jibcore3", "jibcore1", None),
    ("mvn jib:build ×3 / jib-core obvious→1", "mvnjib3", "jibcore1", None),
    ("floor→3 / jib-core obvious→3", "floor3", "jibcore3", None),
    ("skopeo→3 / Fanout→3", "skopeo3", "fanout3", None),
    ("Fanout→3 with / without the launcher's flags", "fanout3", "fanoutjar3", None),
    ("Fanout→3 without the launcher's flags / jib-core obvious→3", "fanoutjar3", "jibcore3", None),
]


def read(path):
    rows = []
    with open(path) as tsv:
        for line in tsv:
            fields = line.rstrip("\n").split("\t")
            (label, run, wall, rss, rc, uploads, requests, digest, build, push, cpu,
             registry_cpu) = fields[:12]
            # Layers Fanout compressed: logged from issue 18 on; older results have no such column.
            compressed = int(fields[12]) if len(fields) > 12 and fields[12].isdigit() else None
            rows.append(dict(label=label, run=int(run), wall=float(wall), rss_kib=int(rss), rc=int(rc),
                             uploads=uploads, requests=requests, digest=digest, build=build, push=push,
                             cpu=float(cpu), registry_cpu=float(registry_cpu), compressed=compressed))
    return rows


def command(*args):
    try:
        return subprocess.run(args, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "?"


def machine():
    memory = "?"
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory = "%.1f GiB" % (int(line.split()[1]) / 1048576)
    cpu = "?"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    return [
        ("nproc", command("nproc")),
        ("CPU", cpu),
        ("memory", memory),
        ("kernel", platform.release()),
        ("JDK", java[1].strip() if len(java) > 1 else "?"),
        ("docker-registry", command("docker-registry", "--version")),
        ("skopeo", command("skopeo", "--version")),
        ("gzip", command("gzip", "--version").splitlines()[0] if command("gzip", "--version") else "?"),
        ("pigz", command("sh", "-c", "pigz --version 2>&1") or "?"),
    ]


def varying(values):
    """One value when every run agrees, else all of them, run by run (commas: a pipe would split the table cell)."""
    distinct = sorted(set(values))
    return distinct[0] if len(distinct) == 1 else ", ".join(values)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tsv")
    parser.add_argument("md")
    parser.add_argument("--started")
    parser.add_argument("--load")
    parser.add_argument("--java")
    parser.add_argument("--runs", type=int)
    parser.add_argument("--big-mib", type=int)
    parser.add_argument("--contaminated", type=int, default=0)
    parser.add_argument("--finished", default="?")
    parser.add_argument("--load-end", default="?")
    parser.add_argument("--no-wait", default="0")
    args = parser.parse_args()
    rows = read(args.tsv)
    order = [label for label in LABELS if any(row["label"] == label for row in rows)]
    stats = {}
    lines = [
        "# Benchmark results",
        "",
        "Written by `bench/run.sh` (see [README.md](README.md)); every figure and ratio below comes from",
        "the one run that wrote this file. Image: from scratch, three layers built from directories —",
        "48 MiB incompressible, 24 MiB compressible text, ~100 KiB of small files (seeded, reproducible).",
        "Registries: real `docker-registry` processes with htpasswd auth on 127.0.0.1, started fresh for",
        "every run. Wall time in seconds over %d counted runs after one warm-up, the scenarios taking"
        % args.runs,
        "turns run by run (the 1 GiB run: one run at the end,",
        "no warm-up); peak RSS is the client's (GNU time's maximum resident set); uploads and requests",
        "are counted per registry from its access log (`registry 1/registry 2/registry 3`). CPU is",
        "user + system seconds: the client's (all its processes) and the registries' (summed, during the",
        "timed command only: not their start, nor the re-run's first push), medians.",
        "",
        "Started %s, finished %s; load average before measuring: %s (at the end, with the"
        % (args.started, args.finished, args.load),
        "benchmark's own load: %s); other java processes at the start: %s. %s" % (
            args.load_end, args.java,
            "Each run waited for other java processes (other people's builds) to end and was measured"
            " again when one started meanwhile; runs kept despite one after three tries: %d."
            % args.contaminated if args.no_wait != "1" else
            "Run with BENCH_NO_WAIT=1: nothing waited for a quiet machine or for other java processes"
            " to end (the machine never quieted); runs during which another java process ran: %d."
            % args.contaminated),
        "",
        "| scenario | runs | min | median | max | peak RSS MiB | client CPU | registries CPU | blob uploads | requests | failed runs |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|",
    ]
    for label in order:
        counted = [row for row in rows if row["label"] == label and row["run"] >= 1]
        walls = [row["wall"] for row in counted]
        failed = sum(1 for row in counted if row["rc"] != 0)
        stats[label] = dict(median=statistics.median(walls), rows=counted, failed=failed)
        lines.append("| %s | %d | %.2f | %.2f | %.2f | %d | %.2f | %.2f | %s | %s | %d |" % (
            LABELS[label].format(big=args.big_mib), len(counted), min(walls), statistics.median(walls),
            max(walls), max(row["rss_kib"] for row in counted) // 1024,
            statistics.median(row["cpu"] for row in counted),
            statistics.median(row["registry_cpu"] for row in counted),
            varying([row["uploads"] for row in counted]), varying([row["requests"] for row in counted]),
            failed))
    lines += ["", "## Ratios (medians of this run)", "", "| ratio | value | target | met |", "|---|---:|---:|---|"]
    for name, top, bottom, target in RATIOS:
        if top in stats and bottom in stats:
            value = stats[top]["median"] / stats[bottom]["median"]
            lines.append("| %s | %.2f | %s | %s |" % (
                name, value, "≤ %.2f" % target if target else "—",
                ("yes" if value <= target else "**no**") if target else "—"))
    if "rerun3" in stats:
        uploads = sum(int(n) for row in stats["rerun3"]["rows"] for n in row["uploads"].split("/"))
        lines.append("| re-run: blobs uploaded over all counted runs | %d | 0 | %s |"
                     % (uploads, "yes" if uploads == 0 else "**no**"))
        compressed = [row["compressed"] for row in stats["rerun3"]["rows"] if row["compressed"] is not None]
        if compressed:
            lines.append("| re-run: layers compressed over all counted runs | %d | 0 | %s |"
                         % (sum(compressed), "yes" if sum(compressed) == 0 else "**no**"))
    if "big3" in stats:
        row = stats["big3"]["rows"][0]
        lines.append("| %d MiB layer under -Xmx256m: exit status, peak RSS | %d, %d MiB | 0, no OOM | %s |"
                     % (args.big_mib, row["rc"], row["rss_kib"] // 1024, "yes" if row["rc"] == 0 else "**no**"))
    fanout = [label for label in ("fanout1", "fanout3", "fanoutaot1", "fanoutaot3", "fanoutjar3", "rerun3", "big3") if label in stats]
    if fanout:
        lines += ["", "## Where Fanout's time goes (medians, from its own log)", "",
                  "| scenario | wall | build once (the layers, or a tarball) | pushes after the build (slowest target) | the rest: JVM start, class loading, plan, exit |",
                  "|---|---:|---:|---:|---:|"]
        for label in fanout:
            counted = stats[label]["rows"]
            builds = [int(row["build"]) for row in counted if row["build"] != "-"]
            pushes = [int(row["push"]) for row in counted if row["push"] != "-"]
            if builds and pushes:
                # A target's "pushed in" time runs from its start, before the build, to its end.
                build, push = statistics.median(builds) / 1000, statistics.median(pushes) / 1000
                wall = stats[label]["median"]
                lines.append("| %s | %.2f | %.2f | %.2f | %.2f |" % (label, wall, build, push - build, wall - push))
    lines += ["", "## Digests", ""]
    for label in order:
        lines.append("- %s: %s" % (label, varying([row["digest"] for row in stats[label]["rows"]])))
    lines += ["", "## Machine", ""] + ["- %s: %s" % pair for pair in machine()]
    with open(args.md, "w") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
