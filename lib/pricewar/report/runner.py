"""``pricewar run``: execute the reports of ``reports.yaml`` into a dated folder of HTML pages.

Exit codes: 0 every report succeeded; 1 some report failed (the others are still
written); 2 bad manifest or parameters (nothing executed). The run folder is
built as ``<out>/.tmp-<run>`` and renamed to ``<out>/<YYYY-MM-DDTHHMMSS>`` when
done; ``<out>/latest`` then points to it if every report succeeded. A run
killed by SIGINT or SIGTERM removes its temporary folder and leaves ``latest``
alone.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from pricewar import __version__
from pricewar.data.paths import PROJECT_ROOT
from pricewar.errors import RequestError, RunError

__all__ = ["DEFAULT_MANIFEST", "Report", "load_manifest", "parse_overrides", "type_matches", "resolve_relative_dates",
           "check_parameters", "git_commit", "kernel_name", "vega_bundle_path", "run"]

DEFAULT_MANIFEST = PROJECT_ROOT / "reports.yaml"
# Seconds one cell of a report may run before the report fails (reports.yaml: ``timeout``): a hung
# notebook must not hang the scheduled run for ever. The slowest cell today takes a few seconds.
DEFAULT_TIMEOUT = 600


@dataclass
class Report:
    name: str
    notebook: str
    title: str
    parameters: dict = field(default_factory=dict)
    order: int = 0
    timeout: int = 0  # seconds one cell may run before the report fails (0: DEFAULT_TIMEOUT)


def load_manifest(path: Path) -> list[Report]:
    """The reports listed in ``path`` (YAML list of name, notebook, title, parameters)."""
    if not path.exists():
        raise RunError(f"{path}: manifest not found")
    try:
        entries = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise RunError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(entries, list) or not entries:
        raise RunError(f"{path}: expected a non-empty list of reports")
    reports, seen = [], set()
    for i, entry in enumerate(entries, start=1):
        where = f"{path}: report {i}"
        if not isinstance(entry, dict):
            raise RunError(f"{where}: expected a mapping with name, notebook, title, parameters")
        missing = [k for k in ("name", "notebook", "title") if not entry.get(k)]
        if missing:
            raise RunError(f"{where}: missing {', '.join(missing)}")
        unknown = set(entry) - {"name", "notebook", "title", "parameters", "timeout"}
        if unknown:
            raise RunError(f"{where} ({entry['name']}): unknown key(s) {', '.join(sorted(unknown))}")
        if entry["name"] in seen:
            raise RunError(f"{where}: duplicate name {entry['name']!r}")
        seen.add(entry["name"])
        notebook = (path.parent / entry["notebook"]).resolve()
        if not notebook.exists():
            raise RunError(f"{where} ({entry['name']}): notebook {entry['notebook']} not found")
        parameters = entry.get("parameters") or {}
        if not isinstance(parameters, dict):
            raise RunError(f"{where} ({entry['name']}): parameters must be a mapping")
        timeout = entry.get("timeout", DEFAULT_TIMEOUT)
        if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout < 1:
            raise RunError(f"{where} ({entry['name']}): timeout {timeout!r} is not a whole number of seconds ≥ 1")
        reports.append(Report(entry["name"], str(notebook), entry["title"], _plain(parameters), order=i,
                              timeout=timeout))
    return reports


def _plain(value):
    """YAML values as notebook parameters: dates become ISO strings."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def parse_overrides(pairs: list[str]) -> dict:
    """``-p KEY=VALUE`` pairs; VALUE is read as YAML (``3`` is an int, ``[a, b]`` a list)."""
    overrides = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise RunError(f"-p {pair!r}: expected KEY=VALUE")
        try:
            overrides[key] = _plain(yaml.safe_load(raw)) if raw != "" else ""
        except (yaml.YAMLError, ValueError):  # not YAML, or a YAML date that is no day (2025-13-01): text
            overrides[key] = raw
    return overrides


_TYPES = {"int": (int,), "float": (int, float), "str": (str,), "bool": (bool,), "list": (list,),
          "dict": (dict,), "None": (type(None),)}


def type_matches(value, annotation: str) -> bool:
    """Whether ``value`` fits a parameters-cell annotation such as ``int``, ``str | None``, ``list[str]``."""
    if not annotation or annotation == "None" and value is None:
        return True
    for option in (part.strip() for part in annotation.replace("Optional[", "None | ").rstrip("]").split("|")):
        base, _, inner = option.partition("[")
        kinds = _TYPES.get(base)
        if kinds is None:
            return True  # an annotation this check does not know: accept
        if isinstance(value, bool) and bool not in kinds:
            continue  # True is an int in Python, not in a parameters cell
        if isinstance(value, kinds):
            if base == "list" and inner:
                element = inner.rstrip("]")
                return all(type_matches(v, element) for v in value)
            return True
    return False


def check_parameters(reports: list[Report]) -> dict[str, dict]:
    """Check every report's parameters against its notebook's parameters cell; raise RunError."""
    import papermill

    declared_by_notebook: dict[str, dict] = {}
    problems = []
    for report in reports:
        if report.notebook not in declared_by_notebook:
            try:
                declared_by_notebook[report.notebook] = papermill.inspect_notebook(report.notebook)
            except Exception as exc:  # not JSON, no kernelspec, no parameters cell readable
                raise RunError(f"report {report.name!r}: cannot read {report.notebook}: "
                               f"{type(exc).__name__}: {exc}") from None
        declared = declared_by_notebook[report.notebook]
        names = ", ".join(sorted(declared)) or "none"
        for key, value in report.parameters.items():
            if key not in declared:
                problems.append(f"report {report.name!r}: unknown parameter {key!r}; "
                                f"{Path(report.notebook).name} has: {names}")
                continue
            annotation = declared[key].get("inferred_type_name") or ""
            if not type_matches(value, annotation):
                problems.append(f"report {report.name!r}: parameter {key!r} = {value!r} is "
                                f"{type(value).__name__}, expected {annotation}")
    if problems:
        raise RunError("bad parameters, nothing was run:\n  " + "\n  ".join(problems))
    return declared_by_notebook


def git_commit() -> str:
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                             text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_ROOT,
                               capture_output=True, text=True, timeout=5).stdout.strip()
        return sha + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def kernel_name() -> str:
    """The project's kernel ("pricewar", installed by `make setup`), else this Python's own."""
    from jupyter_client.kernelspec import KernelSpecManager

    return "pricewar" if "pricewar" in KernelSpecManager().find_kernel_specs() else "python3"


def vega_bundle_path() -> Path:
    """The Vega bundle for this vl-convert version, cached on disk (building it takes ~1.7 s)."""
    import vl_convert

    from pricewar.report import html

    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "pricewar"
    path = cache / f"vega-bundle-{vl_convert.__version__}.js"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(html.vega_bundle())
        os.replace(tmp, path)
    return path


def _warm_worker() -> None:
    """Import what every report needs, and build the HTML exporter, once per worker process.

    A worker dies at once on SIGTERM (the default action), rather than inheriting the
    parent's handler and writing a last notebook into a staging folder being removed.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    from multiprocessing import util

    util.Finalize(None, _Kernel.discard, exitpriority=10)  # a worker leaving at the run's end shuts its kernel
    _warm_imports()


def _warm_imports() -> None:
    """papermill, and the HTML exporter built (a no-op in a worker forked from a process that did it)."""
    import papermill  # noqa: F401

    from pricewar.report import html

    html.exporter()


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the run's process dies, even by SIGKILL (no handler runs
    then), so no worker goes on writing a staging folder or holding the caller's stdout."""
    parent = os.getppid()
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent's SIGTERM handler still stops the workers
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


# Kernel start failures worth one more try: a kernel that died or did not answer while starting.
_KERNEL_START = re.compile(r"Kernel didn't respond|Address already in use|Kernel died before replying|ZMQError")


class _Kernel:
    """This worker's kernel, reused by its next report while every report on it succeeded.

    A kernel's imports (pandas, altair, the library) and its validated catalog then cost once per
    worker, not once per report. Before each reused report the namespace is reset and the working
    folder restored. On Linux it talks over IPC sockets, not TCP ports: two workers starting kernels
    at once cannot race for a port (seen: a kernel dying on "Address already in use" and the run
    waiting 60 s for it). Its own stderr goes to ``logs/kernel-<worker pid>.log``.
    """

    current: "_Kernel | None" = None

    def __init__(self, kernel: str, logs: Path):
        from jupyter_client.manager import KernelManager

        class Manager(KernelManager):
            def client(self, **kwargs):  # papermill leaves its client open on a kernel it does not own
                opened = super().client(**kwargs)
                clients.append(opened)
                return opened

        clients: list = []
        self.clients = clients
        self.log = logs / f"kernel-{os.getpid()}.log"
        self.reports: list[str] = []
        name = f"pricewar-kernel-{uuid.uuid4().hex}"
        # Linux: sockets in the abstract namespace ("@name": no file, no path-length limit, gone with the
        # kernel), each kernel its own name; elsewhere TCP ports, a race the start's one retry covers
        sockets = {"transport": "ipc", "ip": f"@{name}"} if sys.platform.startswith("linux") else {}
        # the connection file (ports or socket names, and the key) in the run's folder: a killed run's
        # folder goes with it, a finished kernel removes its own
        self.manager = Manager(kernel_name=kernel, connection_file=str(logs / f".{name}.json"),
                               # nbclient's own client kind: with a blocking one its cell timeout never fires
                               client_class="jupyter_client.asynchronous.AsyncKernelClient", **sockets)
        with open(self.log, "a") as log:
            self.manager.start_kernel(cwd=str(PROJECT_ROOT), stderr=log, stdout=log)

    @classmethod
    def for_report(cls, kernel: str, logs: Path) -> "_Kernel":
        """The worker's kernel, started if it has none (or its last one is gone), reset if reused."""
        if cls.current is not None and (cls.current.log.parent != logs or not cls.current.manager.is_alive()):
            cls.discard()
        if cls.current is None:
            cls.current = cls(kernel, logs)
        elif cls.current.reports:
            cls.current.reset()
        return cls.current

    def reset(self) -> None:
        """An empty namespace and the project's folder, as a new kernel has them; modules stay imported."""
        from jupyter_client.blocking import BlockingKernelClient

        client = BlockingKernelClient(connection_file=self.manager.connection_file)
        client.load_connection_file()
        client.start_channels(iopub=False, stdin=False, hb=False)  # the shell's reply says it all
        try:
            # reset() ends with gc.collect(); gc.freeze() then moves what survived it (modules, the
            # validated catalog) out of the collector's way: the next report's collections skip it
            sent = client.execute(f"get_ipython().reset(new_session=False)\nimport gc as _gc, os as _os\n"
                                  f"_gc.freeze()\n_os.chdir({str(PROJECT_ROOT)!r})\ndel _gc, _os",
                                  silent=True, store_history=False)
            reply = client.get_shell_msg(timeout=60)
        finally:
            client.stop_channels()
        if reply["parent_header"].get("msg_id") != sent or reply["content"]["status"] != "ok":
            raise RuntimeError(f"Kernel died before replying: resetting the reused kernel failed: {reply['content']}")

    def close_clients(self) -> None:
        """Close the connections papermill opened to this kernel (its sockets and heartbeat thread)."""
        while self.clients:
            self.clients.pop().stop_channels()

    @classmethod
    def discard(cls) -> None:
        """Shut the worker's kernel down (after a failed report, at the end of the run)."""
        kernel, cls.current = cls.current, None
        if kernel is not None:
            kernel.close_clients()
            try:
                kernel.manager.shutdown_kernel(now=True)
            except Exception:  # noqa: BLE001 - already dead: nothing to shut down
                pass


def _execute(report: dict, folder: str, kernel: str, context: dict, bundle_path: str) -> dict:
    """Worker: run one notebook with papermill on the worker's kernel (``_Kernel``), then write its
    HTML. Never raises for a notebook error; after any failure the kernel is replaced."""
    import nbformat
    import papermill

    from pricewar.report import html, record

    started = time.monotonic()
    output = Path(folder) / f"{report['name']}.ipynb"
    error = None
    logs = Path(folder) / "logs"
    logs.mkdir(exist_ok=True)
    (logs / f".{report['name']}.started").touch()  # the parent prints "running" when a worker really starts
    saved_stderr = os.dup(2)
    with open(logs / f"{report['name']}.log", "w") as log:
        os.dup2(log.fileno(), 2)  # papermill's and nbclient's messages go to the run's log, not the cron mail
        try:
            for attempt in (1, 2):
                try:
                    worker_kernel = _Kernel.for_report(kernel, logs)
                    earlier = ", ".join(worker_kernel.reports) or "none: started for this report"
                    os.write(2, f"kernel {worker_kernel.log.name} (reports before on it: {earlier})\n".encode())
                    worker_kernel.reports.append(report["name"])
                    papermill.execute_notebook(report["notebook"], str(output), parameters=report["parameters"],
                                               kernel_name=kernel, km=worker_kernel.manager, progress_bar=False,
                                               log_output=False, cwd=str(PROJECT_ROOT),
                                               execution_timeout=report["timeout"])
                    break
                except papermill.PapermillExecutionError:
                    raise
                except Exception as exc:  # noqa: BLE001 - a kernel that failed to start gets one more try
                    _Kernel.discard()
                    if attempt == 2 or not _KERNEL_START.search(f"{type(exc).__name__}: {exc}") or _ran(output):
                        raise
                    os.write(2, f"kernel start failed ({type(exc).__name__}: {exc}); retrying once\n".encode())  # the log
        except papermill.PapermillExecutionError as exc:
            error = f"{exc.ename}: {exc.evalue}"
        except Exception as exc:  # the kernel died, the notebook is unreadable, a cell timed out, ...
            error = f"{type(exc).__name__}: {exc}"
            if "Timeout" in type(exc).__name__ or "timed out" in str(exc):
                error = f"timed out: a cell ran longer than the report's timeout of {report['timeout']} s ({error})"
        finally:
            os.dup2(saved_stderr, 2)
            os.close(saved_stderr)
    duration = time.monotonic() - started
    headlines: list = []
    finding = None
    if output.exists():
        nb = nbformat.read(output, as_version=4)
        error = error or record.notebook_error(nb)
        headlines = record.read_headlines(nb)
        finding = record.read_finding(nb)
    else:
        nb = nbformat.read(report["notebook"], as_version=4)
    if error:
        _Kernel.discard()  # the next report gets a fresh kernel: nothing a failed report left behind
    elif _Kernel.current is not None:
        _Kernel.current.close_clients()
    footer = {
        "Report": f"{report['name']} ({Path(report['notebook']).name})",
        "Parameters": json.dumps(report["parameters"], sort_keys=True) or "{}",
        "Data snapshot": context["snapshot"],
        "pricewar": context["package_version"],
        "Git commit": context["git_commit"],
        "Generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
    }
    page = html.to_html(nb, report["title"], footer, error=error, bundle=Path(bundle_path).read_text(),
                        age=context.get("age"), notice=context.get("notice"))
    (Path(folder) / f"{report['name']}.html").write_text(page, encoding="utf-8")
    return {"status": "failed" if error else "ok", "error": error, "duration_s": round(duration, 2),
            "headlines": headlines, "finding": finding}


def _ran(output: Path) -> bool:
    """Whether any cell of a (partly) executed notebook ran: then a failure is not a kernel start."""
    import nbformat

    try:
        return any(c.get("execution_count") for c in nbformat.read(output, as_version=4).cells)
    except Exception:  # noqa: BLE001 - absent or half-written: nothing ran
        return False


def _resolve_snapshot(parameters: dict, declared: dict) -> tuple[dict, str]:
    """Pin ``snapshot="latest"`` to the concrete snapshot id, so the run records what it read.
    A snapshot that does not exist is a ``SnapshotError`` (exit 2) before anything runs."""
    from pricewar.data import snapshot

    latest = snapshot.resolve("latest").name
    if "snapshot" not in declared:
        return parameters, latest
    value = parameters.get("snapshot", declared["snapshot"].get("default", "").strip("\"'"))
    if value in ("latest", ""):
        return {**parameters, "snapshot": latest}, latest
    return parameters, snapshot.resolve(str(value)).name


_RELATIVE = re.compile(r"^-(\d+)([ymd])$")


def resolve_relative_dates(parameters: dict, declared: dict, snapshot_id: str) -> dict:
    """Date parameters written relative to the report's snapshot ("-1y", "-6m", "-90d") as ISO dates,
    so a "year earlier" report stays a year earlier after every refresh."""
    import pandas as pd

    resolved = dict(parameters)
    for key, value in parameters.items():
        found = _RELATIVE.match(str(value)) if isinstance(value, str) else None
        if found and key in declared and "ISO date" in (declared[key].get("help") or ""):
            n, unit = int(found.group(1)), found.group(2)
            offset = {"y": pd.DateOffset(years=n), "m": pd.DateOffset(months=n), "d": pd.DateOffset(days=n)}[unit]
            resolved[key] = (pd.Timestamp(snapshot_id) - offset).date().isoformat()
    return resolved


def check_dates(report: Report, declared: dict, snapshot_id: str) -> list[str]:
    """Problems of the report's date parameters (those whose parameters-cell comment says "ISO date",
    and ``previous_snapshot``): a malformed date, or a day after the report's snapshot — a report
    "on 2030-01-01" from the data of today would be a wrong number."""
    from pricewar.data import snapshot

    problems = []
    for key, value in report.parameters.items():
        if value is None or key not in declared:
            continue
        if key == "previous_snapshot":
            try:
                snapshot.resolve(str(value))
            except RequestError as exc:
                problems.append(f"report {report.name!r}: parameter previous_snapshot = {value!r}: {exc}")
            continue
        if "ISO date" not in (declared[key].get("help") or ""):
            continue
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            problems.append(f"report {report.name!r}: parameter {key} = {value!r} is not a date (YYYY-MM-DD)")
            continue
        if day.isoformat() > snapshot_id:
            problems.append(f"report {report.name!r}: parameter {key} = {value} is after its snapshot {snapshot_id}: "
                            "the data does not reach that day (refresh a later snapshot, or pick an earlier day)")
    return problems


def run(names: list[str] | None = None, manifest: Path = DEFAULT_MANIFEST, overrides: dict | None = None,
        out: Path = PROJECT_ROOT / "reports", jobs: int | None = None, quiet: bool = False,
        keep: int | None = None, publish: bool | None = None) -> int:
    """Execute the selected reports; return the exit code (see module docstring).

    Each headline is compared with the previous published run in ``out`` (``latest``); ``keep``
    prunes all but the ``keep`` newest run folders afterwards (never the newest, never ``latest``).
    ``publish``: whether a successful run becomes ``latest``; by default only a run of every report
    with no ``-p`` does, so an analyst's one-off run never replaces the executives' reports.
    """
    publish = (not names and not overrides) if publish is None else publish
    if keep is not None and keep < 1:
        raise RunError(f"--keep {keep}: keep at least 1 run")
    reports = _select(load_manifest(Path(manifest)), names, overrides, manifest)
    out = _writable_out(Path(out))
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(reports)))  # no worker without a report to run
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def interrupted(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    # before any worker exists: a SIGTERM at any point ends the workers with the run
    signal.signal(signal.SIGTERM, interrupted)
    # Workers start now and import papermill and nbconvert while the parameters are checked.
    executor = ProcessPoolExecutor(max_workers=jobs, initializer=_warm_worker)
    staging = None
    try:
        # in a worker: papermill is imported there anyway, so the main process never pays for it
        declared = executor.submit(check_parameters, reports).result()
        pinned, context = _pin_snapshots(reports, declared, previous_run(out))
        context.update(executor.submit(_data_notes, context["snapshot"]).result())
        from pricewar.data import snapshot

        removed = snapshot.remove_stale_staging(out)  # folders of runs killed before they finished
        if removed and not quiet:
            print(f"removed {len(removed)} folder(s) left by a killed run: {', '.join(removed)}")
        run_id, staging = _new_run(out)
        run_record = _execute_all(executor, pinned, staging, context, run_id, jobs, quiet)
        os.rename(staging, out / run_id)
    except BaseException:
        _stop(executor)  # first: no worker may still be writing into the staging folder
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    failed = [r for r in run_record["reports"] if r["status"] != "ok"]
    if not failed and not publish and not quiet:
        print(f"run {run_id} is not published: latest is unchanged (a run of some reports, or with -p; "
              "--publish makes it latest)")
    if not failed and publish:
        with _locked(out):  # two runs finishing together: latest ends on the newer one
            newest_ok = max([run_id] + ([(out / "latest").resolve().name] if (out / "latest").is_symlink() else []))
            _point_latest(out, newest_ok if (out / newest_ok).is_dir() else run_id)
    if keep is not None:
        pruned = prune_runs(out, keep)
        if pruned and not quiet:
            print(f"pruned {len(pruned)} older run folder(s): {', '.join(pruned)}")
    if not quiet or failed:
        print(f"run {run_id}: {len(pinned) - len(failed)} ok, {len(failed)} failed → {out / run_id}/index.html",
              file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def _select(reports: list[Report], names: list[str] | None, overrides: dict | None, manifest) -> list[Report]:
    """The reports named (all when none is), each with the ``-p`` overrides applied."""
    if names:
        unknown = [n for n in names if n not in {r.name for r in reports}]
        if unknown:
            raise RunError(f"unknown report(s) {', '.join(unknown)}; {manifest} has: "
                           f"{', '.join(r.name for r in reports)}")
        reports = [r for r in reports if r.name in names]
    overrides = overrides or {}
    scoped = {key.split(":", 1)[0] for key in overrides if ":" in key}
    unknown = scoped - {r.name for r in reports}
    if unknown:
        raise RunError(f"-p for unknown or unselected report(s) {', '.join(sorted(unknown))}; selected: "
                       f"{', '.join(r.name for r in reports)}")
    for report in reports:  # "-p key=value" for every selected report, "-p name:key=value" for one
        mine = {key.split(":", 1)[1]: value for key, value in overrides.items() if key.startswith(report.name + ":")}
        common = {key: value for key, value in overrides.items() if ":" not in key}
        report.parameters = {**report.parameters, **common, **mine}
    return reports


def _pin_snapshots(reports: list[Report], declared: dict, previous: dict | None = None) -> tuple[list[Report], dict]:
    """The reports with ``snapshot`` pinned to a concrete id, and the run's context for the footers.

    A report that declares ``previous_snapshot`` and is not given one compares with the previous
    run's snapshot, when that differs from its own.
    """
    pinned, snapshots, problems = [], set(), []
    for report in reports:
        parameters, snapshot_id = _resolve_snapshot(report.parameters, declared[report.notebook])
        parameters = resolve_relative_dates(parameters, declared[report.notebook], snapshot_id)
        report = Report(report.name, report.notebook, report.title, parameters, report.order, report.timeout)
        problems += check_dates(report, declared[report.notebook], snapshot_id)
        earlier = (previous or {}).get("snapshot")
        if ("previous_snapshot" in declared[report.notebook] and "previous_snapshot" not in parameters
                and earlier and earlier != snapshot_id and "," not in earlier):
            parameters = {**parameters, "previous_snapshot": earlier}
        snapshots.add(snapshot_id)
        pinned.append(Report(report.name, report.notebook, report.title, parameters, report.order, report.timeout))
    if problems:
        raise RunError("bad parameters, nothing was run:\n  " + "\n  ".join(problems))
    context = {"snapshot": ", ".join(sorted(snapshots)), "package_version": __version__,
               "git_commit": git_commit(), "previous_run": (previous or {}).get("run_id")}
    return pinned, context


def _data_notes(snapshots: str) -> dict:
    """Worker: the data's age for the pages (``coverage.age_phrase`` of the run's snapshot), and a
    notice when the last ``pricewar data update`` failed."""
    from pricewar.data import catalog, coverage, update

    notes = {}
    if "," not in snapshots:
        notes["age"] = coverage.age_phrase(coverage.data_age(catalog.load(snapshots)))
    last = update.last_update()
    if last and last.get("status") == "failed" and last.get("date", "") > snapshots:
        reason = last.get("message", "").splitlines()[0] if last.get("message") else "no reason recorded"
        notes["notice"] = (f"The data update of {last['date']} failed ({reason}); these reports use the last good "
                           f"snapshot, {snapshots}.")
    return notes


def _writable_out(out: Path) -> Path:
    """``out``, created if needed; a ``RunError`` (exit 2, nothing run) when it is a file, read-only
    or otherwise cannot take a run folder."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = Path(tempfile.mkdtemp(prefix=".probe-", dir=out))
        probe.rmdir()
    except OSError as exc:
        reason = "is a file, not a folder" if out.exists() and not out.is_dir() else (exc.strerror or str(exc))
        raise RunError(f"--out {out}: cannot write run folders there: {reason}") from None
    return out


class _locked:
    """An exclusive lock on ``<out>/.lock`` (flock): run ids and ``latest`` change one run at a time."""

    def __init__(self, out: Path):
        self.path = Path(out) / ".lock"

    def __enter__(self):
        import fcntl

        self.fh = open(self.path, "a")
        fcntl.flock(self.fh, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        self.fh.close()  # releases the lock


def _new_run(out: Path) -> tuple[str, Path]:
    """A run id no other run has or is building (two runs started in the same second get
    ``…T120000`` and ``…T120000-2``), and its staging folder ``.tmp-<id>-pid<pid>-…``."""
    with _locked(out):
        run_id = dt.datetime.now().strftime("%Y-%m-%dT%H%M%S")
        while (out / run_id).exists() or any(out.glob(f".tmp-{run_id}-pid*")):
            run_id += "-2"
        return run_id, Path(tempfile.mkdtemp(prefix=f".tmp-{run_id}-pid{os.getpid()}-", dir=out))


RUN_ID = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{6}(-2)*$")


def run_folders(out: Path) -> list[Path]:
    """The run folders under ``out``, oldest first."""
    out = Path(out)
    return sorted(p for p in out.iterdir() if p.is_dir() and not p.is_symlink() and RUN_ID.match(p.name)) \
        if out.is_dir() else []


def previous_run(out: Path) -> dict | None:
    """The run record (run.json) of the published run under ``out`` (``latest``), else of the newest
    run folder; None when there is none."""
    latest = Path(out) / "latest"
    if latest.is_symlink() and (latest.resolve() / "run.json").exists():
        return json.loads((latest.resolve() / "run.json").read_text())
    for folder in reversed(run_folders(out)):
        record = folder / "run.json"
        if record.exists():
            return json.loads(record.read_text())
    return None


def prune_runs(out: Path, keep: int) -> list[str]:
    """Remove all but the ``keep`` newest run folders; never the newest, never the target of ``latest``."""
    out = Path(out)
    folders = run_folders(out)
    latest = (out / "latest").resolve().name if (out / "latest").is_symlink() else None
    spared = {p.name for p in folders[-keep:]} | {latest}
    pruned = [p.name for p in folders if p.name not in spared]
    for name in pruned:
        shutil.rmtree(out / name)
    return pruned


def _execute_all(executor, pinned: list[Report], staging: Path, context: dict, run_id: str, jobs: int,
                 quiet: bool) -> dict:
    """Run every report into ``staging``, then write its run.json and index.html; returns the run record."""
    from pricewar.report import index

    started_at = dt.datetime.now(dt.timezone.utc)
    bundle = str(vega_bundle_path())
    kernel = kernel_name()
    futures = {executor.submit(_execute, asdict(r), str(staging), kernel, context, bundle): r for r in pinned}
    results = _watch(futures, quiet, staging / "logs")
    for marker in (staging / "logs").glob(".*.started"):
        marker.unlink()
    executor.shutdown(wait=True)
    run_record = {
        "run_id": run_id, "snapshot": context["snapshot"], "previous_run": context.get("previous_run"),
        "data_age": context.get("age"), "notice": context.get("notice"), "package_version": __version__,
        "git_commit": context["git_commit"], "kernel": kernel, "jobs": jobs,
        "started_at": started_at.isoformat(timespec="seconds"),
        "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "reports": [{**asdict(r), "notebook": os.path.relpath(r.notebook, PROJECT_ROOT),
                     "html": f"{r.name}.html", "ipynb": f"{r.name}.ipynb", **results[r.name]}
                    for r in pinned],
    }
    _compare_headlines(run_record, previous_run(staging.parent))
    (staging / "run.json").write_text(json.dumps(run_record, indent=2) + "\n")
    (staging / "index.html").write_text(index.index_html(run_record), encoding="utf-8")
    staging.chmod(0o755)  # mkdtemp makes it private; reports are meant to be read
    return run_record


def _compare_headlines(run_record: dict, previous: dict | None) -> None:
    """Give each headline the previous run's value of the same report and key (``previous``), if any."""
    before = {(r["name"], h["key"]): h.get("value") for r in (previous or {}).get("reports", [])
              for h in r.get("headlines", [])}
    for report in run_record["reports"]:
        for headline in report.get("headlines", []):
            if (report["name"], headline["key"]) in before:
                headline["previous"] = before[(report["name"], headline["key"])]


def _stop(executor: ProcessPoolExecutor) -> None:
    """End the workers now; their kernels exit when their parent does (ipykernel's parent poller).

    Waits for them to exit (killing any still alive after 5 s), so that none is
    still writing into the staging folder when the caller removes it.
    """
    processes = list((getattr(executor, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()
    executor.shutdown(wait=False, cancel_futures=True)


def _point_latest(out: Path, run_id: str) -> None:
    """Atomically point ``<out>/latest`` at ``run_id`` (a relative symlink)."""
    tmp = out / f".latest-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(run_id, tmp)
    os.replace(tmp, out / "latest")


def _watch(futures: dict, quiet: bool, logs: Path | None = None) -> dict[str, dict]:
    """Wait for the reports, printing a line per report whenever its state changes ("running" once
    its worker has started it: a queued task counts as running in the executor)."""
    started = time.monotonic()
    state = {r.name: "queued" for r in futures.values()}
    results: dict[str, dict] = {}
    width = max(len(name) for name in state)
    pending = set(futures)
    while pending:
        for future in [f for f in futures if f in pending]:  # in submission order: "a ok" before "b running"
            report = futures[future]
            if future.done():
                pending.discard(future)
                results[report.name] = future.result()
                new = results[report.name]["status"]
            elif future.running() and (logs is None or (logs / f".{report.name}.started").exists()):
                new = "running"
            else:
                continue
            if new != state[report.name]:
                state[report.name] = new
                if not quiet:
                    extra = f" — {results[report.name]['error']}" if new == "failed" else ""
                    print(f"[{time.monotonic() - started:6.1f}s] {report.name:<{width}}  {new}{extra}", flush=True)
        if pending:
            time.sleep(0.1)
    return results
