"""Reading transcripts and cutting them into turns, paragraphs and sentences."""

from qualcode.ingest.decode import BadInput
from qualcode.ingest.importer import ImportFailed, ImportReport, import_files
from qualcode.ingest.readers import RawTranscript, read_transcript
from qualcode.nlp.turn_finder import TurnRules

__all__ = [
    "BadInput",
    "ImportFailed",
    "ImportReport",
    "RawTranscript",
    "TurnRules",
    "import_files",
    "read_transcript",
]
