"""Clinical data arrives with the health records issue; the chart itself lives in the kernel
(portal.models.PatientChart)."""
