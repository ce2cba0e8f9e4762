"""``python -m emulator --port 8787 [--data-dir D] [--tier pro] [--credits 1000]``"""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from .app import create_asgi
from .pricing import TIERS
from .runtime import Runtime
from .settings import get_settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m emulator", description="Run the built-in AI Music API server."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8787)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--tier", choices=list(TIERS), default="pro", help="tier of the demo key")
    parser.add_argument("--credits", type=int, default=1000, help="credits of the demo key")
    args = parser.parse_args(argv)
    settings = get_settings()
    settings = settings.replace(
        host=args.host,
        port=args.port,
        data_dir=args.data_dir or settings.data_dir,
        public_base_url=f"http://{args.host}:{args.port}",
    )
    runtime = Runtime(settings)
    key = runtime.store.create_key(args.tier, args.credits)
    print(f"AI Music API (built-in) on {runtime.base_url}  docs: {runtime.base_url}/docs", flush=True)
    print(f"Demo key ({args.tier}, {args.credits} credits): {key}", flush=True)
    uvicorn.run(create_asgi(runtime), host=args.host, port=args.port, log_level=settings.log_level)


if __name__ == "__main__":
    main()
