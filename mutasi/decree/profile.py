"""An agency's decree profile: what its decrees cite and whom they are copied to, who
certifies extracts, and whether the PPK is represented by an acting official. Stored on the
agency (`Agency.decree_profile`), edited through the agency settings API."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

UU_PEMDA = (
    "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah sebagaimana telah beberapa "
    "kali diubah, terakhir dengan Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan "
    "Pemerintah Pengganti Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja menjadi "
    "Undang-Undang;"
)
UU_ASN = "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara;"
PP_PNS = (
    "Peraturan Pemerintah Nomor 11 Tahun 2017 tentang Manajemen Pegawai Negeri Sipil "
    "sebagaimana telah diubah dengan Peraturan Pemerintah Nomor 17 Tahun 2020;"
)
PP_PPPK = (
    "Peraturan Pemerintah Nomor 49 Tahun 2018 tentang Manajemen Pegawai Pemerintah dengan "
    "Perjanjian Kerja;"
)
PERBKN_MUTASI = (
    "Peraturan Badan Kepegawaian Negara Nomor 5 Tahun 2019 tentang Tata Cara Pelaksanaan Mutasi;"
)
REGIONAL_KINDS = frozenset({"kabupaten", "kota", "provinsi"})


class Official(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(..., min_length=3, max_length=200)
    title: str = Field(..., min_length=3, max_length=200)
    nip: str | None = Field(None, pattern=r"^\d{18}$")
    rank_text: str | None = Field(None, max_length=120)


class DecreeProfile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # "Undang-Undang Nomor 14 Tahun 1950 tentang Pembentukan Daerah-daerah Kabupaten ..."
    founding_law: str = Field("", max_length=500)
    # "Peraturan Daerah Kabupaten Sukamaju Nomor 7 Tahun 2016 tentang Pembentukan dan
    # Susunan Perangkat Daerah"
    organisation_regulation: str = Field("", max_length=500)
    # The regional BKN office by name: "Kepala Kantor Regional III BKN Bandung".
    kanreg_bkn: str = Field("Kepala Kantor Regional Badan Kepegawaian Negara", max_length=200)
    # Copied on every decree (after the Kanreg BKN); the origin's PPK and the Governor are
    # added on inter-agency moves.
    tembusan: list[str] = Field(
        default_factory=lambda: [
            "Inspektur Daerah",
            "Kepala Badan Pengelolaan Keuangan dan Aset Daerah",
            "Kepala Perangkat Daerah asal dan tujuan",
        ],
        max_length=20,
    )
    governor: str = Field("", max_length=200)  # "Gubernur Jawa Barat"
    # Who certifies extracts ("Untuk petikan yang sah"); unset: the BKPSDM head.
    certifier: Official | None = None
    # An acting PPK signs instead of the PPK: Plt. (the post is vacant or its holder is
    # suspended) or Plh. (the holder is away).
    acting: Literal["", "plt", "plh"] = ""
    acting_official: Official | None = None

    def mengingat(self, agency_kind: str, asn_type: str) -> list[str]:
        """The legal bases, in the order of the hierarchy of laws and then by date."""
        regional = agency_kind in REGIONAL_KINDS
        bases = [f"{self.founding_law.rstrip(';')};"] if regional and self.founding_law else []
        if regional:
            bases.append(UU_PEMDA)
        bases.append(UU_ASN)
        bases += [PP_PPPK] if asn_type == "PPPK" else [PP_PNS, PERBKN_MUTASI]
        if self.organisation_regulation:
            bases.append(f"{self.organisation_regulation.rstrip(';')};")
        return bases


def profile_of(raw: dict[str, Any] | None) -> DecreeProfile:
    return DecreeProfile.model_validate(raw or {})


# Cited by decrees that answer an objection (keberatan).
PP_UPAYA_ADMINISTRATIF = (
    "Peraturan Pemerintah Nomor 79 Tahun 2021 tentang Upaya Administratif dan Badan "
    "Pertimbangan Aparatur Sipil Negara;"
)
