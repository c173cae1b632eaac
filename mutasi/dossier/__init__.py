"""A case's dossier: the required documents per mutation type, uploads checked by content,
HR's verification, and the letters that recorded acts and the SPMT rest on."""
