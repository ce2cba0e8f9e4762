"""The set-up promise: what a fresh clone needs is declared in the files a newcomer runs."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _requirements(name: str) -> str:
    return (ROOT / name).read_text()


def test_runtime_requirements_cover_the_core_stack():
    text = _requirements("requirements.txt").lower()
    for package in ("streamlit", "requests", "pandas", "pydub", "imageio-ffmpeg", "fastapi", "uvicorn"):
        assert package in text, f"{package} missing from requirements.txt"
    assert 'audioop-lts>=0.2.1; python_version >= "3.13"' in text


def test_dev_requirements_include_runtime_ones():
    assert _requirements("requirements-dev.txt").splitlines()[0] == "-r requirements.txt"


def test_every_requirement_has_a_lower_bound():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in _requirements(name).splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-r"):
                assert ">=" in line, f"{name}: {line!r} has no lower bound"


def _imports(path) -> set[str]:
    import ast

    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_lib_ui_imports_streamlit_and_the_emulator_never_imports_lib():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for path in (root / "lib").rglob("*.py"):
        if "ui" not in path.relative_to(root / "lib").parts[:1]:
            assert "streamlit" not in _imports(path), f"{path.name} imports streamlit outside lib/ui/"
    for path in (root / "emulator").rglob("*.py"):
        assert "lib" not in _imports(path), f"{path} imports lib/"
    for path in (root / "app_pages").glob("*.py"):
        assert not {"requests", "sqlite3", "urllib3"} & _imports(path), f"{path.name} talks HTTP or SQL itself"


def test_test_files_have_unique_names():
    """pytest imports test modules by their base name (rootdir mode): two test_x.py in two folders collide."""
    from collections import Counter
    from pathlib import Path

    names = Counter(p.name for p in (Path(__file__).resolve().parent).rglob("test_*.py"))
    assert not [name for name, count in names.items() if count > 1]
