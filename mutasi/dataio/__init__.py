"""Import and export of organisation data (CSV and XLSX, one sheet per kind)."""
