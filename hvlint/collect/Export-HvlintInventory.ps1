#Requires -Version 5.1
<#
.SYNOPSIS
    Collects the inventory of Hyper-V failover clusters and standalone hosts as one JSON document
    (schema hvlint-inventory/1) for `hvlint import`.
.DESCRIPTION
    Read-only: it changes no setting of any host or cluster. Every value is read one by one into an
    ordered hashtable of scalars, so that ConvertTo-Json cannot truncate or re-shape it. A query that
    fails is recorded in the document's "errors" and the run goes on.
    Exit status: 0 when the document was written, 1 when nothing was written.
.PARAMETER Cluster
    Failover clusters to collect, by cluster name or the name of any of their nodes.
.PARAMETER ComputerName
    Standalone Hyper-V hosts (in no failover cluster) to collect.
.PARAMETER OutFile
    The document's path (default: hvlint-inventory.json in the current location).
.PARAMETER CoreinfoPath
    Where Sysinternals Coreinfo64.exe is on every collected host; it is run there with -accepteula -f.
.EXAMPLE
    powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\Export-HvlintInventory.ps1 -Cluster HVC-PROD -OutFile hvc-prod.json
#>
[CmdletBinding()]
param(
    [string[]]$Cluster = @(),
    [string[]]$ComputerName = @(),
    [string]$OutFile = 'hvlint-inventory.json',
    [string]$CoreinfoPath = ''
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$CollectorVersion = '0.1.0'
$Started = [DateTime]::UtcNow

$Errors = New-Object System.Collections.ArrayList

function Add-CollectorError([string]$Scope, [string]$Command, $ErrorRecord) {
    $message = [string]$ErrorRecord
    if ($ErrorRecord -is [System.Management.Automation.ErrorRecord]) { $message = $ErrorRecord.Exception.Message }
    [void]$Errors.Add([ordered]@{ scope = $Scope; command = $Command; message = [string]$message })
}

function Get-Prop($Object, [string]$Name) {
    # P8: a property a release may lack reads as null, never as a StrictMode error.
    if ($null -eq $Object) { return $null }
    $property = $Object.PSObject.Properties[$Name]
    if ($null -eq $property) { return $null }
    return $property.Value
}

function ConvertTo-NullableString($Value) {
    if ($null -eq $Value) { return $null }
    return [string]$Value
}

function ConvertTo-NullableInt64($Value) {
    if ($null -eq $Value -or [string]$Value -eq '') { return $null }
    return [int64]$Value
}

function ConvertTo-NullableBool($Value) {
    if ($null -eq $Value) { return $null }
    return [bool]$Value
}

function ConvertTo-EnumName($Value) {
    # P2: every enum is written as its name.
    if ($null -eq $Value) { return $null }
    return [string]$Value
}

function ConvertTo-Guid($Value) {
    if ($null -eq $Value) { return $null }
    return ([string]$Value).Trim('{', '}')
}

function ConvertTo-StringArray($Values) {
    # P4: a collection is always an array, never a bare value or null.
    $result = @()
    foreach ($value in @($Values)) { if ($null -ne $value) { $result += [string]$value } }
    return ,$result
}

function Invoke-Query([string]$Scope, [string]$Command, [scriptblock]$Query) {
    try {
        return & $Query
    } catch {
        Add-CollectorError $Scope $Command $_
        return $null
    }
}

function Get-ClusterInventory([string]$Name) {
    $cluster = Get-Cluster -Name $Name
    $clusterName = [string]$cluster.Name
    $doc = [ordered]@{
        name = $clusterName
        domain = ConvertTo-NullableString (Get-Prop $cluster 'Domain')
        functional_level = ConvertTo-NullableInt64 (Get-Prop $cluster 'ClusterFunctionalLevel')
        max_parallel_migrations = ConvertTo-NullableInt64 (Get-Prop $cluster 'MaximumParallelMigrations')
        nodes = $null
        networks = $null
        network_interfaces = $null
        migration_exclude_networks = $null
        migration_network_order = $null
        shared_volumes = $null
        vm_groups = $null
    }
    $doc.nodes = Invoke-Query $clusterName "Get-ClusterNode -Cluster $clusterName" {
        $items = @()
        foreach ($node in @(Get-ClusterNode -Cluster $clusterName)) {
            $items += [ordered]@{ name = [string]$node.Name; state = ConvertTo-EnumName $node.State }
        }
        ,$items
    }
    $doc.networks = Invoke-Query $clusterName "Get-ClusterNetwork -Cluster $clusterName" {
        $items = @()
        foreach ($network in @(Get-ClusterNetwork -Cluster $clusterName)) {
            $lengths = @()
            foreach ($length in @(Get-Prop $network 'Ipv6PrefixLengths')) { if ($null -ne $length) { $lengths += [int64]$length } }
            $items += [ordered]@{
                name = [string]$network.Name
                id = ConvertTo-Guid (Get-Prop $network 'Id')
                role = ConvertTo-EnumName (Get-Prop $network 'Role')
                metric = ConvertTo-NullableInt64 (Get-Prop $network 'Metric')
                auto_metric = ConvertTo-NullableBool (Get-Prop $network 'AutoMetric')
                address = ConvertTo-NullableString (Get-Prop $network 'Address')
                address_mask = ConvertTo-NullableString (Get-Prop $network 'AddressMask')
                ipv6_addresses = ConvertTo-StringArray (Get-Prop $network 'Ipv6Addresses')
                ipv6_prefix_lengths = $lengths
            }
        }
        ,$items
    }
    $doc.network_interfaces = Invoke-Query $clusterName "Get-ClusterNetworkInterface -Cluster $clusterName" {
        $items = @()
        foreach ($interface in @(Get-ClusterNetworkInterface -Cluster $clusterName)) {
            $items += [ordered]@{
                node = ConvertTo-NullableString (Get-Prop $interface 'Node')
                network = ConvertTo-NullableString (Get-Prop (Get-Prop $interface 'Network') 'Name')
                adapter = ConvertTo-NullableString (Get-Prop $interface 'Adapter')
                address = ConvertTo-NullableString (Get-Prop $interface 'Address')
            }
        }
        ,$items
    }
    $vmType = Invoke-Query $clusterName 'Get-ClusterResourceType "Virtual Machine" | Get-ClusterParameter' {
        $parameters = @{}
        foreach ($parameter in @(Get-ClusterResourceType -Cluster $clusterName -Name 'Virtual Machine' |
                Get-ClusterParameter -Name MigrationExcludeNetworks, MigrationNetworkOrder)) {
            $parameters[[string]$parameter.Name] = [string]$parameter.Value
        }
        $parameters
    }
    if ($null -ne $vmType) {
        foreach ($pair in @(@('MigrationExcludeNetworks', 'migration_exclude_networks'), @('MigrationNetworkOrder', 'migration_network_order'))) {
            $ids = @()
            if ($vmType.ContainsKey($pair[0])) {
                foreach ($id in ($vmType[$pair[0]] -split ';')) { if ($id.Trim() -ne '') { $ids += ConvertTo-Guid $id.Trim() } }
            }
            $doc[$pair[1]] = $ids
        }
    }
    $doc.shared_volumes = Invoke-Query $clusterName "Get-ClusterSharedVolume -Cluster $clusterName" {
        $items = @()
        foreach ($volume in @(Get-ClusterSharedVolume -Cluster $clusterName)) {
            $paths = @()
            foreach ($info in @(Get-Prop $volume 'SharedVolumeInfo')) {
                $path = Get-Prop $info 'FriendlyVolumeName'
                if ($null -ne $path) { $paths += [string]$path }
            }
            $items += [ordered]@{
                name = [string]$volume.Name
                owner_node = ConvertTo-NullableString (Get-Prop (Get-Prop $volume 'OwnerNode') 'Name')
                paths = $paths
            }
        }
        ,$items
    }
    $doc.vm_groups = Invoke-Query $clusterName "Get-ClusterGroup -Cluster $clusterName" {
        $items = @()
        foreach ($group in @(Get-ClusterGroup -Cluster $clusterName | Where-Object { [string]$_.GroupType -eq 'VirtualMachine' })) {
            $entry = [ordered]@{
                name = [string]$group.Name
                vm_id = $null
                owner_node = ConvertTo-NullableString (Get-Prop (Get-Prop $group 'OwnerNode') 'Name')
                state = ConvertTo-EnumName (Get-Prop $group 'State')
                preferred_owners = ConvertTo-StringArray (@(Get-ClusterOwnerNode -InputObject $group).OwnerNodes | ForEach-Object { $_.Name })
                possible_owners = $null
            }
            $resource = @(Get-ClusterResource -Cluster $clusterName | Where-Object {
                    [string]$_.ResourceType -eq 'Virtual Machine' -and [string]$_.OwnerGroup -eq [string]$group.Name }) | Select-Object -First 1
            if ($null -ne $resource) {
                $entry.vm_id = ConvertTo-Guid (@(Get-ClusterParameter -InputObject $resource -Name VmID)[0].Value)
                $entry.possible_owners = ConvertTo-StringArray (@(Get-ClusterOwnerNode -InputObject $resource).OwnerNodes | ForEach-Object { $_.Name })
            }
            $items += $entry
        }
        ,$items
    }
    return $doc
}

function Get-HostInventory([string]$Name, $ClusterName) {
    $doc = [ordered]@{
        name = $Name
        cluster = $ClusterName
        os = $null
        installed_memory_bytes = $null
        memory_capacity_bytes = $null
        logical_processors = $null
        processors = $null
        switches = $null
        management_adapters = $null
        migration = $null
        net_adapters = $null
        ip_addresses = $null
        default_route_interfaces = $null
    }
    $session = Invoke-Query $Name "New-CimSession -ComputerName $Name" { New-CimSession -ComputerName $Name }
    if ($null -ne $session) {
        $doc.os = Invoke-Query $Name 'Get-CimInstance Win32_OperatingSystem' {
            $os = Get-CimInstance -CimSession $session -ClassName Win32_OperatingSystem
            [ordered]@{ build = ConvertTo-NullableInt64 $os.BuildNumber; version = [string]$os.Version; caption = [string]$os.Caption }
        }
        $doc.installed_memory_bytes = Invoke-Query $Name 'Get-CimInstance Win32_PhysicalMemory' {
            $total = [int64]0
            foreach ($module in @(Get-CimInstance -CimSession $session -ClassName Win32_PhysicalMemory)) { $total += [int64]$module.Capacity }
            $total
        }
        $doc.processors = Invoke-Query $Name 'Get-CimInstance Win32_Processor' {
            $items = @()
            foreach ($cpu in @(Get-CimInstance -CimSession $session -ClassName Win32_Processor)) {
                $items += [ordered]@{
                    manufacturer = ConvertTo-NullableString $cpu.Manufacturer
                    name = ConvertTo-NullableString $cpu.Name
                    caption = ConvertTo-NullableString $cpu.Caption
                    processor_id = ConvertTo-NullableString $cpu.ProcessorId
                    cores = ConvertTo-NullableInt64 $cpu.NumberOfCores
                    logical_processors = ConvertTo-NullableInt64 $cpu.NumberOfLogicalProcessors
                }
            }
            ,$items
        }
        $doc.net_adapters = Invoke-Query $Name 'Get-NetAdapter' {
            $items = @()
            foreach ($adapter in @(Get-NetAdapter -CimSession $session)) {
                $items += [ordered]@{
                    name = [string]$adapter.Name
                    interface_description = ConvertTo-NullableString $adapter.InterfaceDescription
                    interface_index = ConvertTo-NullableInt64 $adapter.ifIndex
                    mac_address = ConvertTo-NullableString $adapter.MacAddress
                    speed_bps = ConvertTo-NullableInt64 $adapter.Speed
                    virtual = ConvertTo-NullableBool (Get-Prop $adapter 'Virtual')
                }
            }
            ,$items
        }
        $doc.ip_addresses = Invoke-Query $Name 'Get-NetIPAddress' {
            $items = @()
            foreach ($address in @(Get-NetIPAddress -CimSession $session)) {
                $items += [ordered]@{
                    interface_index = ConvertTo-NullableInt64 $address.InterfaceIndex
                    address = [string]$address.IPAddress
                    prefix_length = ConvertTo-NullableInt64 $address.PrefixLength
                }
            }
            ,$items
        }
        $doc.default_route_interfaces = Invoke-Query $Name 'Get-NetRoute -DestinationPrefix 0.0.0.0/0' {
            $items = @()
            foreach ($route in @(Get-NetRoute -CimSession $session -DestinationPrefix '0.0.0.0/0' -ErrorAction SilentlyContinue)) {
                $items += [int64]$route.InterfaceIndex
            }
            ,$items
        }
        Remove-CimSession -CimSession $session
    }
    $vmHost = Invoke-Query $Name "Get-VMHost -ComputerName $Name" { Get-VMHost -ComputerName $Name }
    if ($null -ne $vmHost) {
        $doc.memory_capacity_bytes = ConvertTo-NullableInt64 (Get-Prop $vmHost 'MemoryCapacity')
        $doc.logical_processors = ConvertTo-NullableInt64 (Get-Prop $vmHost 'LogicalProcessorCount')
        $networks = Invoke-Query $Name "Get-VMMigrationNetwork -ComputerName $Name" {
            $items = @()
            foreach ($network in @(Get-VMMigrationNetwork -ComputerName $Name)) {
                $items += [ordered]@{ subnet = [string]$network.Subnet; priority = ConvertTo-NullableInt64 $network.Priority }
            }
            ,$items
        }
        $doc.migration = [ordered]@{
            enabled = ConvertTo-NullableBool (Get-Prop $vmHost 'VirtualMachineMigrationEnabled')
            authentication = ConvertTo-EnumName (Get-Prop $vmHost 'VirtualMachineMigrationAuthenticationType')
            performance = ConvertTo-EnumName (Get-Prop $vmHost 'VirtualMachineMigrationPerformanceOption')
            max_migrations = ConvertTo-NullableInt64 (Get-Prop $vmHost 'MaximumVirtualMachineMigrations')
            max_storage_migrations = ConvertTo-NullableInt64 (Get-Prop $vmHost 'MaximumStorageMigrations')
            use_any_network = ConvertTo-NullableBool (Get-Prop $vmHost 'UseAnyNetworkForMigration')
            networks = $networks
        }
    }
    $doc.switches = Invoke-Query $Name "Get-VMSwitch -ComputerName $Name" {
        $items = @()
        foreach ($switch in @(Get-VMSwitch -ComputerName $Name)) {
            $descriptions = Get-Prop $switch 'NetAdapterInterfaceDescriptions'
            if ($null -eq $descriptions) { $descriptions = @(Get-Prop $switch 'NetAdapterInterfaceDescription') }
            $items += [ordered]@{
                name = [string]$switch.Name
                id = ConvertTo-Guid (Get-Prop $switch 'Id')
                type = ConvertTo-EnumName (Get-Prop $switch 'SwitchType')
                interface_descriptions = ConvertTo-StringArray $descriptions
                embedded_teaming = ConvertTo-NullableBool (Get-Prop $switch 'EmbeddedTeamingEnabled')
            }
        }
        ,$items
    }
    $doc.management_adapters = Invoke-Query $Name "Get-VMNetworkAdapter -ManagementOS -ComputerName $Name" {
        $items = @()
        foreach ($adapter in @(Get-VMNetworkAdapter -ManagementOS -ComputerName $Name)) {
            $items += [ordered]@{
                name = [string]$adapter.Name
                switch_name = ConvertTo-NullableString (Get-Prop $adapter 'SwitchName')
                mac_address = ConvertTo-NullableString (Get-Prop $adapter 'MacAddress')
            }
        }
        ,$items
    }
    if ($CoreinfoPath -ne '') {
        $doc['coreinfo'] = Invoke-Query $Name "Invoke-Command $CoreinfoPath -accepteula -f" {
            $lines = @()
            $output = Invoke-Command -ComputerName $Name -ArgumentList $CoreinfoPath -ScriptBlock {
                param($Path)
                & $Path -accepteula -f
            }
            # P6: a new string, without the note properties remoting adds.
            foreach ($line in @($output)) { $lines += (-join ([string]$line).ToCharArray()) }
            ,$lines
        }
    }
    return $doc
}

function Get-VMInventory([string]$HostName) {
    $vms = @(Get-VM -ComputerName $HostName)
    $processors = @{}
    foreach ($item in @($vms | Get-VMProcessor)) { $processors[[string]$item.VMId] = $item }
    $disks = @{}
    foreach ($item in @($vms | Get-VMHardDiskDrive)) { $disks[[string]$item.VMId] = @($disks[[string]$item.VMId]) + @($item) }
    $dvds = @{}
    foreach ($item in @($vms | Get-VMDvdDrive)) { $dvds[[string]$item.VMId] = @($dvds[[string]$item.VMId]) + @($item) }
    $adapters = @{}
    foreach ($item in @($vms | Get-VMNetworkAdapter)) { $adapters[[string]$item.VMId] = @($adapters[[string]$item.VMId]) + @($item) }
    $items = @()
    foreach ($vm in $vms) {
        $id = [string]$vm.VMId
        $processor = $processors[$id]
        $entry = [ordered]@{
            name = [string]$vm.Name
            id = ConvertTo-Guid $vm.VMId
            host = $HostName
            state = ConvertTo-EnumName $vm.State
            memory_startup_bytes = ConvertTo-NullableInt64 (Get-Prop $vm 'MemoryStartup')
            memory_assigned_bytes = ConvertTo-NullableInt64 (Get-Prop $vm 'MemoryAssigned')
            memory_minimum_bytes = ConvertTo-NullableInt64 (Get-Prop $vm 'MemoryMinimum')
            memory_maximum_bytes = ConvertTo-NullableInt64 (Get-Prop $vm 'MemoryMaximum')
            dynamic_memory = ConvertTo-NullableBool (Get-Prop $vm 'DynamicMemoryEnabled')
            processor_count = ConvertTo-NullableInt64 (Get-Prop $vm 'ProcessorCount')
            compatibility_for_migration_enabled = ConvertTo-NullableBool (Get-Prop $processor 'CompatibilityForMigrationEnabled')
            compatibility_for_migration_mode = ConvertTo-EnumName (Get-Prop $processor 'CompatibilityForMigrationMode')
            configuration_version = ConvertTo-NullableString (Get-Prop $vm 'Version')
            generation = ConvertTo-NullableInt64 (Get-Prop $vm 'Generation')
            is_clustered = ConvertTo-NullableBool (Get-Prop $vm 'IsClustered')
            paths = [ordered]@{
                configuration = ConvertTo-NullableString (Get-Prop $vm 'ConfigurationLocation')
                snapshots = ConvertTo-NullableString (Get-Prop $vm 'SnapshotFileLocation')
                smart_paging = ConvertTo-NullableString (Get-Prop $vm 'SmartPagingFilePath')
            }
            checkpoint_type = ConvertTo-EnumName (Get-Prop $vm 'CheckpointType')
            disks = @()
            dvd_drives = @()
            network_adapters = @()
        }
        foreach ($disk in @($disks[$id])) {
            if ($null -eq $disk) { continue }
            $entry.disks += [ordered]@{
                path = ConvertTo-NullableString (Get-Prop $disk 'Path')
                controller_type = ConvertTo-EnumName (Get-Prop $disk 'ControllerType')
                controller_number = ConvertTo-NullableInt64 (Get-Prop $disk 'ControllerNumber')
                controller_location = ConvertTo-NullableInt64 (Get-Prop $disk 'ControllerLocation')
                disk_number = ConvertTo-NullableInt64 (Get-Prop $disk 'DiskNumber')
            }
        }
        foreach ($dvd in @($dvds[$id])) {
            if ($null -eq $dvd) { continue }
            $entry.dvd_drives += [ordered]@{
                path = ConvertTo-NullableString (Get-Prop $dvd 'Path')
                media_type = ConvertTo-EnumName (Get-Prop $dvd 'DvdMediaType')
                controller_type = ConvertTo-EnumName (Get-Prop $dvd 'ControllerType')
                controller_number = ConvertTo-NullableInt64 (Get-Prop $dvd 'ControllerNumber')
                controller_location = ConvertTo-NullableInt64 (Get-Prop $dvd 'ControllerLocation')
            }
        }
        foreach ($adapter in @($adapters[$id])) {
            if ($null -eq $adapter) { continue }
            $entry.network_adapters += [ordered]@{
                name = [string]$adapter.Name
                switch_name = ConvertTo-NullableString (Get-Prop $adapter 'SwitchName')
                switch_id = ConvertTo-Guid (Get-Prop $adapter 'SwitchId')
                connected = ConvertTo-NullableBool (Get-Prop $adapter 'Connected')
                is_legacy = ConvertTo-NullableBool (Get-Prop $adapter 'IsLegacy')
            }
        }
        $items += $entry
    }
    return ,$items
}

if ($PSVersionTable.PSEdition -ne 'Core') {
    # P5: Windows PowerShell's ETS Count on arrays (PowerShell issue #3153).
    Remove-TypeData -TypeName System.Array -ErrorAction SilentlyContinue
}
if (-not (Get-Module -ListAvailable -Name Hyper-V)) {
    Write-Error 'Export-HvlintInventory: the Hyper-V PowerShell module is not installed (Install-WindowsFeature RSAT-Hyper-V-Tools).' -ErrorAction Continue
    exit 1
}
$ClusterNames = @($Cluster)
$Standalone = @($ComputerName)
if ($ClusterNames.Count -eq 0 -and $Standalone.Count -eq 0) {
    $local = $null
    if (Get-Module -ListAvailable -Name FailoverClusters) {
        try { $local = Get-Cluster -ErrorAction Stop } catch { $local = $null }
    }
    if ($null -ne $local) { $ClusterNames = @([string]$local.Name) } else { $Standalone = @($env:COMPUTERNAME) }
}
if ($ClusterNames.Count -gt 0 -and -not (Get-Module -ListAvailable -Name FailoverClusters)) {
    Write-Error 'Export-HvlintInventory: -Cluster needs the FailoverClusters module (Install-WindowsFeature RSAT-Clustering-PowerShell).' -ErrorAction Continue
    exit 1
}

$document = [ordered]@{
    schema = 'hvlint-inventory/1'
    collector = [ordered]@{ name = 'Export-HvlintInventory.ps1'; version = $CollectorVersion }
    collected_at = $Started.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [Globalization.CultureInfo]::InvariantCulture)
    collected_on = [string]$env:COMPUTERNAME
    powershell_version = [string]$PSVersionTable.PSVersion
    clusters = @()
    hosts = @()
    vms = @()
    errors = @()
}
$hostsToRead = @()
foreach ($name in $ClusterNames) {
    $entry = Invoke-Query $name "Get-Cluster -Name $name" { Get-ClusterInventory $name }
    if ($null -eq $entry) { continue }
    $document.clusters += $entry
    foreach ($node in @($entry.nodes)) {
        if ($null -eq $node) { continue }
        if ($node.state -eq 'Up' -or $node.state -eq 'Paused') {
            $hostsToRead += , @($node.name, $entry.name)
        } else {
            Add-CollectorError $node.name "Get-ClusterNode $($node.name)" "node $($node.name) is $($node.state): not collected"
        }
    }
}
foreach ($name in $Standalone) { $hostsToRead += , @($name, $null) }
foreach ($pair in $hostsToRead) {
    $document.hosts += Get-HostInventory $pair[0] $pair[1]
    $vms = Invoke-Query $pair[0] "Get-VM -ComputerName $($pair[0])" { Get-VMInventory $pair[0] }
    foreach ($vm in @($vms)) { if ($null -ne $vm) { $document.vms += $vm } }
}
if ($document.hosts.Count -eq 0 -and $document.clusters.Count -eq 0) {
    Write-Error 'Export-HvlintInventory: nothing to collect (no cluster and no host could be read).' -ErrorAction Continue
    exit 1
}
$document.errors = @($Errors)

# P7, P10: one call, deep enough, written as UTF-8 without a byte-order mark.
$json = ConvertTo-Json -InputObject $document -Depth 16 -Compress
try {
    $path = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutFile)
    [IO.File]::WriteAllText($path, $json, (New-Object Text.UTF8Encoding $false))
} catch {
    Write-Error "Export-HvlintInventory: cannot write ${OutFile}: $($_.Exception.Message)" -ErrorAction Continue
    exit 1
}
Write-Host "Export-HvlintInventory: wrote $path ($($document.hosts.Count) hosts, $($document.vms.Count) VMs, $($Errors.Count) errors)"
exit 0
