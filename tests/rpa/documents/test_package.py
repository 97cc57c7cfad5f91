import rpa.documents


def test_documents_all_is_sorted_and_importable() -> None:
    names = rpa.documents.__all__
    assert names == sorted(names)
    assert all(hasattr(rpa.documents, n) for n in names)
