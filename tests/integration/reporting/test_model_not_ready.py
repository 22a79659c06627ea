"""The API listens before the projection has created its model's tables: a request in between
is told to try again (503), not answered with a server error."""

from __future__ import annotations

from services.reporting.readmodels.projection import MIGRATIONS_DIR
from tests.integration.reporting.conftest import client_of
from thidua.es.db import create_pool
from thidua.es.migrations import apply_migrations, load_migrations, runtime_migrations


async def test_a_model_without_its_tables_answers_503_until_it_has_them(
    database_url: str, uid: str
) -> None:
    pool = await create_pool(database_url, f"test_{uid}_model")  # the schema, no table yet
    try:
        async with client_of(pool, None) as http:
            answer = await http.get("/rollups/province/gia-lai", params={"year": 2018})
            assert answer.status_code == 503, answer.text
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.headers["retry-after"] == "5"
            assert answer.json()["detail"].startswith("Mô hình báo cáo đang được khởi tạo")

            # the projection creates the model's tables
            model = load_migrations("reporting", MIGRATIONS_DIR)
            await apply_migrations(pool, [*runtime_migrations(), *model])
            answer = await http.get("/rollups/province/gia-lai", params={"year": 2018})
            # ready, and empty: the province is not known yet (its own refusal, not a retry)
            assert answer.status_code == 404, answer.text
            assert answer.json()["detail"] == "Không tìm thấy tỉnh có mã 'gia-lai'."
    finally:
        await pool.close()
