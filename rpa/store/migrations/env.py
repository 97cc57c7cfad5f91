"""Alembic's environment for SmartLab: always online, on the connection `rpa.store.migrate`
hands over (there is no alembic.ini; the store's URL comes from the caller)."""

from alembic import context

config = context.config
metadatas = config.attributes.get("metadatas") or None
ours = {t for m in metadatas or () for t in m.tables}


def include_object(obj, name, type_, reflected, compare_to):  # noqa: ANN001, ANN201 - Alembic's hook
    """Compare only the tables SmartLab's branches own: a store may hold other tables."""
    return type_ != "table" or name in ours


context.configure(
    connection=config.attributes["connection"],
    target_metadata=metadatas,
    include_object=include_object,
    render_as_batch=True,  # SQLite alters a table by copying it; batch mode writes that for us
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
