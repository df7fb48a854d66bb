"""The member list a coordinator keeps: the spreadsheet import, consent wording, sample members."""
