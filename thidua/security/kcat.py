"""Running ``kcat`` (the librdkafka command-line client) against the stack.

librdkafka before 2.6.1 sends a SCRAM proof that Kafka 4 refuses as "invalid credentials"
(it repeated the client nonce; confluentinc/librdkafka#4895), and Debian 12's kcat links its
librdkafka 2.0.2. confluent-kafka's wheel bundles a current librdkafka with the same ABI
(``librdkafka.so.1``): :func:`kcat_environment` puts it first on ``LD_LIBRARY_PATH``."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from thidua.es.kafka import KafkaPrincipal, librdkafka_config, principal_from_env
from thidua.security import credentials
from thidua.settings import StackSettings


def bundled_librdkafka() -> Path | None:
    """confluent-kafka's own librdkafka (a manylinux wheel keeps it beside the package)."""
    spec = importlib.util.find_spec("confluent_kafka")
    if spec is None or spec.origin is None:
        return None
    libs = Path(spec.origin).parent.parent / "confluent_kafka.libs"
    found = sorted(libs.glob("librdkafka-*.so*")) if libs.is_dir() else []
    return found[0] if found else None


def kcat_environment(cache_dir: Path | None = None) -> dict[str, str]:
    """This process's environment, with confluent-kafka's librdkafka found first as
    ``librdkafka.so.1`` (unchanged when the wheel has none: another platform)."""
    env = dict(os.environ)
    library = bundled_librdkafka()
    if library is None:
        return env
    where = (cache_dir or StackSettings().cache_dir) / "librdkafka"
    where.mkdir(parents=True, exist_ok=True)
    link = where / "librdkafka.so.1"
    if not link.is_symlink() or link.resolve() != library.resolve():
        draft = where / f".librdkafka.so.1.{os.getpid()}"
        draft.unlink(missing_ok=True)
        draft.symlink_to(library)
        os.replace(draft, link)
    env["LD_LIBRARY_PATH"] = os.pathsep.join(
        p for p in (str(where), env.get("LD_LIBRARY_PATH", "")) if p
    )
    return env


def kcat_arguments(bootstrap: str, principal: KafkaPrincipal | None = None) -> list[str]:
    """``kcat`` connection arguments: ``-F`` with the clients' librdkafka properties, kept in
    a file readable by its owner only (a password on the command line shows in ``ps``)."""
    who = principal or principal_from_env()
    if who is None:
        return ["-b", bootstrap]
    config = librdkafka_config(bootstrap, who)
    text = "".join(f"{key}={value}\n" for key, value in config.items())
    path = credentials.secrets_dir(StackSettings().state_dir) / f"kcat-{who.username}.properties"
    if not path.is_file() or path.read_text() != text:
        credentials.write_secret(path, text)
    return ["-F", str(path)]


def kcat_command(arguments: str, cache_dir: Path | None = None) -> str:
    """A ``kcat`` command line a person can paste: with the bundled librdkafka first on
    ``LD_LIBRARY_PATH`` when there is one (Debian's own kcat cannot log in to Kafka 4)."""
    if bundled_librdkafka() is None:
        return f"kcat {arguments}"
    where = kcat_environment(cache_dir)["LD_LIBRARY_PATH"].split(os.pathsep)[0]
    return f"LD_LIBRARY_PATH={where} kcat {arguments}"
