@_exported import Qcow2
