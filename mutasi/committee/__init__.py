"""Review committees (TPK; Baperjakat for structural posts): who sits on them, their
sittings' numbers and the minutes (berita acara) the chair signs."""
