"""Runs the `parse_files` example over message files and reads its lines back."""
import re
import subprocess


def parse_files(binary, files):
    """{path: (kind, {recipient: status})} for each file `binary` could read."""
    res = {}
    for i in range(0, len(files), 400):
        out = subprocess.run([binary] + files[i:i + 400], capture_output=True, text=True).stdout
        for line in out.splitlines():
            m = re.match(r"(\S+): (\S+) \[(.*?)\] mentioned", line)
            if m:
                # An address may hold a comma (CompuServe's "76543,2109@…"):
                # each item is "address -> status".
                named = dict(re.findall(r"(\S+) -> (\d+)", m.group(3)))
                res[m.group(1)] = (m.group(2), named)
    return res
