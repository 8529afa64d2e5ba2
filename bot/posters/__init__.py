"""Printable A4 posters of a group with a QR code of its deep link."""
