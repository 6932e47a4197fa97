from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from . import roles


@permission_required(roles.VIEW_DASHBOARD, raise_exception=True)
def dashboard(request):
    return render(request, "kpis/dashboard.html", {"nav": "dashboard"})


def upload(request):
    raise NotImplementedError


def upload_confirm(request, pending_id):
    raise NotImplementedError


def batches(request):
    raise NotImplementedError


def batch_undo(request, batch_id):
    raise NotImplementedError
