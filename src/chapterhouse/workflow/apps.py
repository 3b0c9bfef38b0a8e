from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "chapterhouse.workflow"
    label = "workflow"
    verbose_name = "Workflow and audit log"
