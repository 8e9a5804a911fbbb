"""All models, imported once so metadata is complete."""

from portal.models.base import Base
from portal.models.hospital import Hospital
from portal.models.inquiry import (Author, ContactDetails, Inquiry, InquiryKind,
                                   InquiryStatus, Message)

__all__ = [
    "Author", "Base", "ContactDetails", "Hospital", "Inquiry", "InquiryKind",
    "InquiryStatus", "Message",
]
