"""Command line of catalystlab: ``python runner.py run config/amazon_ai_call.yaml``.

See ``python runner.py --help``; the same commands are installed as ``catalystlab``.
"""

from catalystlab.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
