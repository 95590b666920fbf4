"""Drafting's data. Other apps refer to ``drafting.Document`` and ``drafting.Paragraph``."""

from .amendments import Amendment, AmendmentKind, AmendmentStatus, Position, Stance
from .consensus import (
    ConsensusCall,
    Finding,
    MinorityStatement,
    Objection,
    SilenceObjection,
    SilenceProcedure,
    SilenceStatus,
)
from .documents import (
    ChangeKind,
    Comment,
    Document,
    DocumentKind,
    DocumentRevision,
    DocumentStatus,
    Paragraph,
    ParagraphStatus,
    ParagraphVersion,
    Section,
    Visibility,
)
from .exports import ExportFormat, ExportJob, ExportStatus, ExportView

__all__ = [
    "Amendment",
    "AmendmentKind",
    "AmendmentStatus",
    "ChangeKind",
    "Comment",
    "ConsensusCall",
    "Document",
    "DocumentKind",
    "DocumentRevision",
    "DocumentStatus",
    "ExportFormat",
    "ExportJob",
    "ExportStatus",
    "ExportView",
    "Finding",
    "MinorityStatement",
    "Objection",
    "Paragraph",
    "ParagraphStatus",
    "ParagraphVersion",
    "Position",
    "Section",
    "SilenceObjection",
    "SilenceProcedure",
    "SilenceStatus",
    "Stance",
    "Visibility",
]
