"""Import/export on SQLite and PostgreSQL: one transaction, every error reported,
idempotent re-import, lossless round trip."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from models import Employee, Position, Unit
from mutasi.dataio.errors import ImportRejected
from mutasi.dataio.exporter import export_csv, export_xlsx, template_xlsx
from mutasi.dataio.importer import FileTooLarge, import_upload
from mutasi.dataio.spec import SHEETS
from mutasi.demo.loader import demo_workbook

AGENCY = "code,name,kind,region,province,ppk_title,ppk_office,seat\nKAB1,Kab Uji,kabupaten,Uji,Jawa Barat,Bupati Uji,Pemerintah Kabupaten Uji,Uji\n"
UNITS = (
    "code,agency_code,name,kind,parent_code,head_position_code,region\n"
    "U1,KAB1,Dinas Satu,dinas,,,Kecamatan A\nU2,KAB1,Dinas Dua,dinas,,,Kecamatan B\n"
)
POSITIONS = (
    "code,unit_code,title,kind,job_class,authorized_headcount,superior_position_code,technical_competency,"
    "required_technical,required_managerial,required_sociocultural,education_fields,min_education\n"
    "P1,U1,Pengadministrasi,pelaksana,5,4,,Administrasi Perkantoran,2,1,2,,SMA\n"
    "P2,U2,Pengadministrasi,pelaksana,5,4,,Administrasi Perkantoran,2,1,2,,SMA\n"
)
EMPLOYEES_HEADER = (
    "nip,name,asn_type,rank,education_level,education_field,position_code,position_tmt,"
    "home_region,movable,not_movable_reason\n"
)
GOOD_EMPLOYEE = "198503122010011001,Budi Santoso,PNS,III/a,S1,Administrasi Negara,P1,2018-01-01,Kecamatan A,ya,\n"


def count(engine, model) -> int:
    with Session(engine) as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def load_org(engine) -> None:
    for name, body in (
        ("instansi.csv", AGENCY),
        ("unit_kerja.csv", UNITS),
        ("jabatan.csv", POSITIONS),
    ):
        import_upload(engine, name, body.encode())


def test_csv_import_then_reimport_changes_nothing(engine):
    load_org(engine)
    report = import_upload(engine, "pegawai.csv", (EMPLOYEES_HEADER + GOOD_EMPLOYEE).encode())
    assert report.sheets["pegawai"].inserted == 1
    again = import_upload(engine, "pegawai.csv", (EMPLOYEES_HEADER + GOOD_EMPLOYEE).encode())
    assert again.changed == 0 and again.sheets["pegawai"].unchanged == 1
    with Session(engine) as s:
        person = s.get(Employee, "198503122010011001")
        assert person.gender == "L" and person.birth_date.isoformat() == "1985-03-12"


def test_changed_row_is_updated_not_duplicated(engine):
    load_org(engine)
    import_upload(engine, "pegawai.csv", (EMPLOYEES_HEADER + GOOD_EMPLOYEE).encode())
    moved = GOOD_EMPLOYEE.replace(",P1,", ",P2,")
    report = import_upload(engine, "pegawai.csv", (EMPLOYEES_HEADER + moved).encode())
    assert report.sheets["pegawai"].updated == 1
    assert count(engine, Employee) == 1
    with Session(engine) as s:
        assert s.get(Employee, "198503122010011001").position_code == "P2"


def test_every_error_reported_and_nothing_written(engine):
    load_org(engine)
    bad = (
        EMPLOYEES_HEADER
        + GOOD_EMPLOYEE
        + "12345,Tanpa NIP,PNS,III/a,S1,Hukum,P1,2018-01-01,A,ya,\n"  # short NIP
        + "198503122010011002,Jabatan Hilang,PNS,III/a,S1,Hukum,PX,2018-01-01,A,ya,\n"  # unknown position
        + "198503122010011003,Golongan Salah,PNS,IX/z,S1,Hukum,P1,2018-01-01,A,ya,\n"  # bad rank
        + "198503122010011004,Tanggal Salah,PNS,III/a,S1,Hukum,P1,kemarin,A,ya,\n"  # bad date
        + GOOD_EMPLOYEE
    )  # duplicate key
    with pytest.raises(ImportRejected) as caught:
        import_upload(engine, "pegawai.csv", bad.encode())
    errors = caught.value.errors
    text = " | ".join(str(e) for e in errors)
    assert len(errors) >= 5, text
    assert any(e.row == 3 and e.column == "nip" for e in errors), text
    assert any("PX" in e.reason for e in errors), text
    assert any(e.column == "rank" for e in errors), text
    assert any(e.column == "position_tmt" for e in errors), text
    assert any("duplikat" in e.reason.lower() or "ganda" in e.reason.lower() for e in errors), text
    assert count(engine, Employee) == 0


def test_unit_parent_cycle_rejected(engine):
    import_upload(engine, "instansi.csv", AGENCY.encode())
    cyclic = (
        "code,agency_code,name,kind,parent_code,head_position_code,region\n"
        "A,KAB1,A,upt,B,,X\nB,KAB1,B,upt,A,,X\n"
    )
    with pytest.raises(ImportRejected) as caught:
        import_upload(engine, "unit_kerja.csv", cyclic.encode())
    assert any("lingkaran" in e.reason for e in caught.value.errors)
    assert count(engine, Unit) == 0


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("pegawai.csv", b"", "kosong"),
        ("pegawai.csv", EMPLOYEES_HEADER.encode(), "kosong"),
        ("pegawai.csv", "nip;nama\n1;é".encode("latin-1"), "UTF-8"),
        ("barang.csv", b"a,b\n1,2\n", "barang"),
        ("pegawai.pdf", b"%PDF", "tidak didukung"),
        ("pegawai.csv", b"nip,unknown_column\n1,2\n", "unknown_column"),
    ],
)
def test_bad_files_are_rejected_with_reason(sqlite_engine, name, data, fragment):
    with pytest.raises(ImportRejected) as caught:
        import_upload(sqlite_engine, name, data)
    assert fragment.lower() in " ".join(str(e) for e in caught.value.errors).lower()


def test_formula_cells_rejected(sqlite_engine):
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    sheet = book.add_worksheet("instansi")
    for col, name in enumerate(SHEETS[0].column_names):
        sheet.write(0, col, name)
        sheet.write(1, col, "x")
    sheet.write_formula(1, 1, '="Kab "&"Uji"', None, "Kab Uji")
    book.close()
    with pytest.raises(ImportRejected) as caught:
        import_upload(sqlite_engine, "data.xlsx", buf.getvalue())
    assert any("rumus" in e.reason.lower() for e in caught.value.errors)


def test_size_limit(sqlite_engine):
    with pytest.raises(FileTooLarge):
        import_upload(sqlite_engine, "pegawai.csv", b"x" * 101, max_bytes=100)


def test_demo_workbook_round_trip(engine):
    first = import_upload(engine, "demo.xlsx", demo_workbook(300, 3))
    assert first.sheets["pegawai"].inserted >= 300
    exported = export_xlsx(engine)
    again = import_upload(engine, "export.xlsx", exported)
    assert again.changed == 0
    csv = export_csv(engine, next(s for s in SHEETS if s.name == "jabatan"))
    assert import_upload(engine, "jabatan.csv", csv.encode()).changed == 0
    assert count(engine, Position) > 0


def test_dry_run_writes_nothing(sqlite_engine):
    report = import_upload(sqlite_engine, "demo.xlsx", demo_workbook(300, 3), dry_run=True)
    assert report.sheets["pegawai"].inserted >= 300
    assert count(sqlite_engine, Employee) == 0


def test_template_lists_every_sheet():
    from python_calamine import CalamineWorkbook

    names = CalamineWorkbook.from_filelike(io.BytesIO(template_xlsx())).sheet_names
    assert {s.name for s in SHEETS} <= set(names)


@pytest.mark.parametrize(
    ("nip", "fragment"),
    [
        ("198502302010011001", "tanggal lahir"),  # 30 February
        ("198503122010131001", "bulan pengangkatan"),  # month 13
        ("198503122000011001", "usia 18"),  # appointed at 14
        ("198503122010013001", "jenis kelamin"),  # gender digit 3
        ("198503122010011000", "urut"),  # sequence 000
        ("1985031220100110AB", "18 digit"),
    ],
)
def test_impossible_nips_are_rejected(sqlite_engine, nip, fragment):
    load_org(sqlite_engine)
    body = EMPLOYEES_HEADER + GOOD_EMPLOYEE.replace("198503122010011001", nip)
    with pytest.raises(ImportRejected) as caught:
        import_upload(sqlite_engine, "pegawai.csv", body.encode())
    assert any(e.column == "nip" and fragment in e.reason for e in caught.value.errors), (
        caught.value.errors
    )


def test_wrong_types_are_reported_per_cell(sqlite_engine):
    load_org(sqlite_engine)
    bad = POSITIONS.replace(
        "P2,U2,Pengadministrasi,pelaksana,5,4,", "P2,U2,Pengadministrasi,pelaksana,lima,-1,"
    )
    with pytest.raises(ImportRejected) as caught:
        import_upload(sqlite_engine, "jabatan.csv", bad.encode())
    columns = {e.column for e in caught.value.errors if e.row == 3}
    assert {"job_class", "authorized_headcount"} <= columns


def test_unknown_xlsx_sheet_is_rejected(sqlite_engine):
    from mutasi.dataio.exporter import workbook_bytes

    good = workbook_bytes([(SHEETS[0], [])])
    buf = io.BytesIO()
    import xlsxwriter

    book = xlsxwriter.Workbook(buf)
    book.add_worksheet("gaji").write(0, 0, "nip")
    book.close()
    with pytest.raises(ImportRejected) as caught:
        import_upload(sqlite_engine, "data.xlsx", buf.getvalue())
    assert any("gaji" in str(e) for e in caught.value.errors)
    with pytest.raises(ImportRejected):
        import_upload(sqlite_engine, "data.xlsx", good)  # header only: empty
    with pytest.raises(ImportRejected) as caught:
        import_upload(sqlite_engine, "data.xlsx", b"PK\x03\x04 not really a zip")
    assert caught.value.errors


def test_cli_import_reports_errors_and_exit_code(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from mutasi.cli import app
    from mutasi.infra.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    try:
        assert CliRunner().invoke(app, ["db", "upgrade"]).exit_code == 0
        bad = tmp_path / "pegawai.csv"
        bad.write_text("nip,name\n123,x\n")
        result = CliRunner().invoke(app, ["import", str(bad)])
        assert result.exit_code != 0
        assert "impor ditolak" in result.output and "kolom wajib tidak ada" in result.output
        org = tmp_path / "instansi.csv"
        org.write_text(AGENCY)
        ok = CliRunner().invoke(app, ["import", str(org)])
        assert ok.exit_code == 0, ok.output
    finally:
        get_settings.cache_clear()


def _employee_workbook(nip_cell) -> bytes:
    """A pegawai sheet whose NIP cell is written by `nip_cell(sheet, row, col)`."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    sheet = book.add_worksheet("pegawai")
    values = GOOD_EMPLOYEE.strip().split(",")
    for col, name in enumerate(EMPLOYEES_HEADER.strip().split(",")):
        sheet.write(0, col, name)
        if col == 0:
            nip_cell(sheet, 1, col)
        elif values[col]:
            sheet.write_string(1, col, values[col])
    book.close()
    return buf.getvalue()


def _with_cell_text(data: bytes, old: bytes, new: bytes) -> bytes:
    """The same workbook with one cell's stored value text replaced (as another tool writes it)."""
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert old in body
                body = body.replace(old, new)
            target.writestr(item, body)
    return out.getvalue()


def test_numeric_nip_cell_with_all_its_digits_imports_as_exactly_that_nip(engine):
    load_org(engine)
    written = _employee_workbook(lambda s, r, c: s.write_number(r, c, 198503122010011001))
    # xlsxwriter (like Excel) keeps 15 digits; a tool that writes the integer keeps all 18.
    exact = _with_cell_text(written, b"<v>1.98503122010011E+17</v>", b"<v>198503122010011001</v>")
    report = import_upload(engine, "data.xlsx", exact)
    assert report.sheets["pegawai"].inserted == 1
    with Session(engine) as s:
        assert [e.nip for e in s.execute(select(Employee)).scalars()] == ["198503122010011001"]


def test_numeric_nip_cell_that_lost_digits_is_refused_with_a_text_format_hint(sqlite_engine):
    load_org(sqlite_engine)
    rounded = _employee_workbook(lambda s, r, c: s.write_number(r, c, 198503122010011001))
    with pytest.raises(ImportRejected) as caught:
        import_upload(sqlite_engine, "data.xlsx", rounded)
    [error] = [e for e in caught.value.errors if e.column == "nip"]
    assert (error.sheet, error.row) == ("pegawai", 2)
    assert "Teks" in error.reason and "1.98503122010011E+17" in error.reason
    assert "nomor urut" not in error.reason
    assert count(sqlite_engine, Employee) == 0


def test_scientific_nip_text_in_a_csv_is_refused(sqlite_engine):
    load_org(sqlite_engine)
    row = GOOD_EMPLOYEE.replace("198503122010011001", "1.98503122010011E+17")
    with pytest.raises(ImportRejected) as caught:
        import_upload(sqlite_engine, "pegawai.csv", (EMPLOYEES_HEADER + row).encode())
    assert any(e.column == "nip" and "angka ilmiah" in e.reason for e in caught.value.errors)


def test_template_says_eighteen_digits_and_keeps_identifier_columns_as_text():
    from python_calamine import CalamineWorkbook

    data = template_xlsx()
    guide = (
        CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("petunjuk").to_python()
    )
    nip_row = next(r for r in guide if r[0] == "pegawai" and r[1] == "nip")
    assert "tepat 18 digit" in nip_row[4]
    from mutasi.dataio.nip import parse_nip

    parse_nip(nip_row[6])  # the example is a valid NIP
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = z.read("xl/styles.xml")
    assert b'formatCode="@"' in styles


def test_a_unit_repeated_among_ones_preferences_is_refused(engine):
    load_org(engine)
    import_upload(engine, "pegawai.csv", (EMPLOYEES_HEADER + GOOD_EMPLOYEE).encode())
    header = "nip,rank,unit_code,reason\n"
    with pytest.raises(ImportRejected) as caught:
        import_upload(
            engine,
            "preferensi_penempatan.csv",
            (header + "198503122010011001,1,U2,\n198503122010011001,2,U2,\n").encode(),
        )
    assert any("hanya boleh dipilih sekali" in e.reason and e.row == 3 for e in caught.value.errors)
    import_upload(
        engine, "preferensi_penempatan.csv", (header + "198503122010011001,1,U2,\n").encode()
    )
    # A later file adding the same unit at another rank repeats it too.
    with pytest.raises(ImportRejected):
        import_upload(
            engine, "preferensi_penempatan.csv", (header + "198503122010011001,3,U2,\n").encode()
        )


@pytest.mark.parametrize(
    "command",
    [["audit", "verify"], ["import", "__FILE__"], ["export", "--out", "__OUT__"], ["demo-data"]],
)
def test_cli_commands_never_create_an_empty_database(tmp_path, monkeypatch, command):
    from typer.testing import CliRunner

    from mutasi.cli import app
    from mutasi.infra.settings import get_settings

    missing = tmp_path / "tidak-ada" / "mutasi.db"
    org = tmp_path / "instansi.csv"
    org.write_text(AGENCY)
    args = [
        str(org) if a == "__FILE__" else str(tmp_path / "out.xlsx") if a == "__OUT__" else a
        for a in command
    ]
    get_settings.cache_clear()
    try:
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{missing}")
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, result.output
        assert "tidak ada" in result.output and str(missing) in result.output
        assert not missing.exists() and not missing.parent.exists()
        # A file that exists but holds no schema is refused the same way, and left as it was.
        empty = tmp_path / "kosong.db"
        empty.write_bytes(b"")
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{empty}")
        get_settings.cache_clear()
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2 and "belum memiliki skema" in result.output, result.output
        assert empty.read_bytes() == b""
    finally:
        get_settings.cache_clear()
