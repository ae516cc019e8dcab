"""The bundled sample démarches, served on 127.0.0.1 for ``auditor demo``."""
