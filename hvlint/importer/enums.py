"""The enumerations of import.md §3.7: names, and the integers Windows PowerShell 5.1 writes for them."""

from __future__ import annotations

ENUMS: dict[str, dict[str, int | None]] = {
    "VMState": {
        "Other": 1,
        "Running": 2,
        "Off": 3,
        "Stopping": 4,
        "Saved": 6,
        "Paused": 9,
        "Starting": 10,
        "Reset": 11,
        "Saving": 32773,
        "Pausing": 32776,
        "Resuming": 32777,
        "FastSaved": 32779,
        "FastSaving": 32780,
        "ForceShutdown": 32781,
        "ForceReboot": 32782,
        "Hibernated": None,
        "ComponentServicing": None,
        "RunningCritical": None,
        "OffCritical": None,
        "StoppingCritical": None,
        "SavedCritical": None,
        "PausedCritical": None,
        "StartingCritical": None,
        "ResetCritical": None,
        "SavingCritical": None,
        "PausingCritical": None,
        "ResumingCritical": None,
        "FastSavedCritical": None,
        "FastSavingCritical": None,
    },
    "VMMigrationPerformance": {"TCPIP": 0, "Compression": 1, "SMB": 2},
    "MigrationAuthenticationType": {"CredSSP": 0, "Kerberos": 1},
    "CompatibilityForMigrationMode": {"MinimumFeatureSet": None, "CommonClusterFeatureSet": None},
    "VMSwitchType": {"Private": 0, "Internal": 1, "External": 2},
    "ControllerType": {"IDE": 0, "SCSI": 1, "PMEM": 2},
    "DvdMediaType": {"None": 0, "ISO": 1, "PassThrough": 2},
    "CheckpointType": {"Disabled": 2, "Production": 3, "ProductionOnly": 4, "Standard": 5},
    "ClusterNetworkRole": {"None": 0, "Cluster": 1, "Client": 2, "ClusterAndClient": 3},
    "ClusterNodeState": {"Unknown": -1, "Up": 0, "Down": 1, "Paused": 2, "Joining": 3},
    "ClusterGroupState": {
        "Unknown": -1,
        "Online": 0,
        "Offline": 1,
        "Failed": 2,
        "PartialOnline": 3,
        "Pending": 4,
    },
}

AMBIGUOUS_VM_STATE = 32783
"""From this VMState integer on, the two Hyper-V numberings disagree (import.md Q2)."""

_BY_NAME = {enum: {name.casefold(): name for name in names} for enum, names in ENUMS.items()}
_BY_NUMBER = {
    enum: {number: name for name, number in names.items() if number is not None}
    for enum, names in ENUMS.items()
}


def enum_name(enum: str, value: str | int) -> str | None:
    """The enumeration's name for a name (any case) or an integer; None when it has none."""
    if isinstance(value, str):
        return _BY_NAME[enum].get(value.casefold())
    return _BY_NUMBER[enum].get(value)
