"""一企一警: the enterprise register and liaison, inspections and their rectification flow, hire checks."""
