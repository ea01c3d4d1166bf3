@_exported import Qcow2
@_exported import Guest
