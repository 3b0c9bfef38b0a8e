"""Security and policy review (DOPSR): the clearance request, its package and the amendments it requires."""
