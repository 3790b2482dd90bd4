"""graph/store/compression.py: the gzip files of dumps and releases."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.store.compression import read_gzip, write_gzip, write_lines

lines_without_breaks = st.lists(st.binary(max_size=30).map(lambda b: b.replace(b"\n", b" ")), max_size=120)


@settings(max_examples=60, deadline=None)
@given(lines=lines_without_breaks, prefix=st.sampled_from([b"", b"A ", b"D "]))
def test_written_lines_read_back_one_per_line_after_their_prefix(tmp_path_factory, lines, prefix):
    path = tmp_path_factory.mktemp("gz") / "lines.gz"
    with write_gzip(path) as out:
        write_lines(out, iter(lines), prefix)
    with read_gzip(path) as handle:
        assert handle.read() == b"".join(prefix + line + b"\n" for line in lines)


def test_lines_beyond_one_block_are_all_written(tmp_path):
    lines = [b"<s%d> <p> <o> ." % i for i in range(120_001)]   # blocks of 50,000: two full, one partial
    with write_gzip(tmp_path / "many.gz") as out:
        write_lines(out, lines, b"A ")
    with read_gzip(tmp_path / "many.gz") as handle:
        assert handle.read().split(b"\n")[:-1] == [b"A " + line for line in lines]
