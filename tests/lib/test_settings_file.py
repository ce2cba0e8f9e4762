"""The settings-file check asked on every rerun: it reads a file again whenever the file changes."""

import os

from lib.settings_file import problem_in


def rewrite(path, text: str, *, tick: int) -> None:
    """Write `text` and move the file's modification time on by `tick` ns, as a later edit would."""
    path.write_text(text)
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + tick))


def test_a_file_that_breaks_and_is_mended_is_reported_and_then_cleared(tmp_path):
    secrets = tmp_path / "secrets.toml"
    paths = [str(tmp_path / "absent.toml"), str(secrets)]
    assert problem_in(paths) is None  # neither file exists

    rewrite(secrets, 'AIMUSIC_API_KEY = "sk_a"\n', tick=0)
    assert problem_in(paths) is None
    rewrite(secrets, 'AIMUSIC_API_KEY = "sk_a\n\n', tick=1_000)  # the same size: only the time tells
    problem = problem_in(paths)
    assert problem is not None and str(secrets) in problem and "line 1" in problem
    rewrite(secrets, 'AIMUSIC_API_KEY = "sk_c"\n', tick=2_000)
    assert problem_in(paths) is None


def test_the_first_file_that_cannot_be_used_is_named(tmp_path):
    good, bad = tmp_path / "good.toml", tmp_path / "bad.toml"
    good.write_text("A = 1\n")
    bad.write_bytes(b"A = '\xff'\n")  # not UTF-8
    problem = problem_in([good, bad])
    assert problem is not None and "cannot be read" in problem and str(bad) in problem


def test_a_folder_of_secrets_is_not_mistaken_for_a_file_that_cannot_be_read(tmp_path):
    folder = tmp_path / "secrets"
    (folder / "aimusic").mkdir(parents=True)
    (folder / "aimusic" / "AIMUSIC_API_KEY").write_text("sk_folder")  # Kubernetes style: a file per secret
    assert problem_in([folder]) is None
