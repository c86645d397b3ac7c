"""The residents app's models, one module per subject; every model is importable from here."""

from residents.models.breaches import (
    Breach,
)
from residents.models.handbook import (
    HandbookEdition,
    HandbookIssue,
    HandbookSection,
)
from residents.models.households import (
    LAWFUL_BASIS_DEFAULT,
    Folded,
    Household,
    Person,
    SpecialCategoryView,
    phone_validator,
)
from residents.models.licences import (
    DateRange,
    Licence,
    LicenceDocument,
    LicenceEvidence,
    LicenceOccupant,
    LicenceSigning,
)
from residents.models.names import (
    PersonName,
)
from residents.models.occupants import (
    UnauthorisedOccupant,
)
from residents.models.visits import (
    MeterReading,
    NewResidentVisit,
)

__all__ = [
    "LAWFUL_BASIS_DEFAULT",
    "Breach",
    "DateRange",
    "Folded",
    "HandbookEdition",
    "HandbookIssue",
    "HandbookSection",
    "Household",
    "Licence",
    "LicenceDocument",
    "LicenceEvidence",
    "LicenceOccupant",
    "LicenceSigning",
    "MeterReading",
    "NewResidentVisit",
    "Person",
    "PersonName",
    "SpecialCategoryView",
    "UnauthorisedOccupant",
    "phone_validator",
]
