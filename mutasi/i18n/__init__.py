"""The words Mutasi says to people, in Bahasa Indonesia or English: gettext catalogs
(`mutasi/locale/<lang>/LC_MESSAGES/mutasi.po`, edited by hand, extended by `make messages`)
and Babel's formats for numbers and dates."""
